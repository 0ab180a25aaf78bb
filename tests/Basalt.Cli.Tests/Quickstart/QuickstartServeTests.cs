using System.Net.Sockets;
using System.Text.Json.Nodes;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Quickstart;

/// <summary>
/// <c>basalt quickstart --serve</c> as a real process (issue 8 item 9): it streams one answer through the gateway,
/// prints one paste-ready block of <c>export</c> lines per Claude Code mode, Claude Code (npm, pinned) answers with
/// each block's environment and nothing else, and Ctrl+C (SIGINT) stops the gateway and the emulator cleanly.
/// </summary>
public sealed class QuickstartServeTests
{
    [Fact]
    public async Task Quickstart_serve_prints_blocks_claude_code_answers_with_in_both_modes_and_sigint_stops_both()
    {
        using var dir = new TempDirectory("quickstart-serve");
        await using var process = ServerProcess.StartBasalt(
            ["quickstart", "--serve", "--deployment", Path.Combine(RepoPaths.Examples, "basalt.yaml"), "--identities", Path.Combine(RepoPaths.Examples, "emulator", "identities.yaml"), "--prompt", "hello there"],
            workingDirectory: dir.Path);
        process.WaitForLine("Ctrl+C stops both", TimeSpan.FromMinutes(3));
        var stdout = process.Stdout;

        // One answer went through the gateway before serving (step 4 prints a second answer).
        Assert.Contains("== 4/4  Basalt gateway in front of the local AWS", stdout);
        Assert.Equal(2, stdout.Split('\n').Count(l => l.StartsWith("answer: Hello from Claude on Amazon Bedrock", StringComparison.Ordinal)));

        var blocks = ParseBlocks(stdout);
        Assert.Equal(["# Claude Code, Anthropic mode", "# Claude Code, Bedrock mode"], blocks.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("http://127.0.0.1:", blocks["# Claude Code, Anthropic mode"]["ANTHROPIC_BASE_URL"], StringComparison.Ordinal);
        Assert.Equal("1", blocks["# Claude Code, Bedrock mode"]["CLAUDE_CODE_USE_BEDROCK"]);

        foreach (var (heading, variables) in blocks)
        {
            using var home = new TempDirectory("claude-home");
            var environment = ClaudeCode.Environment(home.Path);
            foreach (var (name, value) in variables)
            {
                environment[name] = value;
            }

            var result = await ClaudeCode.PrintAsync("hello there", environment, home.Path);
            var trace = $"{heading}\n{result}\n--- quickstart ---\n{process.Stdout}\n{process.Stderr}";
            Assert.True(result.ExitCode == 0, trace);
            var output = JsonNode.Parse(result.Stdout.Trim().Split('\n')[^1])!;
            Assert.False((bool?)output["is_error"] ?? false, trace);
            Assert.Contains("Hello from Claude on Amazon Bedrock", (string?)output["result"] ?? string.Empty, StringComparison.Ordinal);
        }

        var gateway = new Uri(blocks["# Claude Code, Anthropic mode"]["ANTHROPIC_BASE_URL"]);
        Assert.True(await AcceptsAsync(gateway));
        var exit = await process.StopAsync(ServerProcess.Sigint);

        Assert.True(exit == 0, $"exit {exit}\n{process.Stdout}\n{process.Stderr}");
        Assert.Contains("Stopped the gateway and the emulator.", process.Stdout);
        Assert.False(await AcceptsAsync(gateway), "the gateway still listens after Ctrl+C");
        Assert.DoesNotContain("wJalrXUtnFEMI", process.Stdout + process.Stderr);
    }

    /// <summary>Each <c># heading</c> followed by <c>export NAME=value</c> lines, up to the next blank line.</summary>
    private static Dictionary<string, Dictionary<string, string>> ParseBlocks(string stdout)
    {
        var blocks = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (var line in stdout.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("# Claude Code", StringComparison.Ordinal))
            {
                blocks[line] = current = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else if (current is not null && line.StartsWith("export ", StringComparison.Ordinal))
            {
                var assignment = line["export ".Length..];
                var equals = assignment.IndexOf('=', StringComparison.Ordinal);
                current[assignment[..equals]] = assignment[(equals + 1)..];
            }
            else
            {
                current = null;
            }
        }

        return blocks;
    }

    private static async Task<bool> AcceptsAsync(Uri uri)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(uri.Host, uri.Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
