using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Testing;

namespace Basalt.Cli.Tests.ClaudeCodeSignIn;

/// <summary>
/// Drives Claude Code's own gateway sign-in without a terminal: <c>claude auth login --gateway-json</c>, the mode
/// its VS Code extension uses ("writes its questions as JSON lines and reads the answers from stdin"). Each question
/// is <c>{"version":1,"state":…,"shown":…}</c>; the answer <c>{"state":…,"shown":…,"accept":true}</c> must repeat
/// the state and the shown value (gateway URL, certificate fingerprint, account email) or Claude Code cancels.
/// In the <c>polling</c> state the person's browser step runs (<paramref name="browse"/>). Claude Code refuses this
/// mode on a TTY and inside a Claude Code session, so the process gets pipes and an environment without CLAUDE*
/// variables (<see cref="ClaudeCode.Environment"/>). See docs/claude-code-gateway-signin.md.
/// </summary>
internal static class GatewayJsonLogin
{
    public sealed record Result(int ExitCode, IReadOnlyList<JsonObject> Questions, string Stderr)
    {
        public JsonObject? Question(string state) => Questions.FirstOrDefault(q => (string?)q["state"] == state);

        public override string ToString() => $"exit {ExitCode}\n--- questions ---\n{string.Join('\n', Questions.Select(q => q.ToJsonString()))}\n--- stderr ---\n{Stderr}";
    }

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> environment, string workingDirectory, Func<string, Task> browse, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(ClaudeCode.Binary())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in new[] { "auth", "login", "--gateway-json" })
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var questions = new List<JsonObject>();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (!line.StartsWith('{') || JsonNode.Parse(line) is not JsonObject question)
                {
                    continue;
                }

                questions.Add(question);
                var state = (string?)question["state"];
                switch (state)
                {
                    case "url_input" or "trust_prompt" or "confirm_account":
                        var answer = new JsonObject { ["state"] = state, ["shown"] = (string?)question["shown"], ["accept"] = true };
                        await process.StandardInput.WriteLineAsync(answer.ToJsonString().AsMemory(), deadline.Token);
                        await process.StandardInput.FlushAsync(deadline.Token);
                        break;
                    case "polling":
                        await browse((string)question["browserUrl"]!);
                        break;
                }
            }

            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return new Result(-1, questions, "(timed out after " + timeout + ")\n" + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return new Result(process.ExitCode, questions, await stderr);
    }
}
