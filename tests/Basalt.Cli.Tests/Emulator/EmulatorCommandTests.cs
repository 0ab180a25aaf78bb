using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Emulator;

/// <summary>
/// <c>basalt emulator</c> as a user runs it: a real process that serves until stopped. The test stops it with SIGTERM
/// (what systemd and Kubernetes send): SIGINT cannot be relied on here, because a process started from a
/// non-interactive shell's background job inherits SIGINT as ignored and .NET keeps it that way.
/// </summary>
public sealed class EmulatorCommandTests
{
    [Fact]
    public async Task Emulator_serves_the_configured_identities_until_terminated_without_printing_secrets()
    {
        using var dir = new TempDirectory("cli-emulator");
        var keyId = "AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        var secret = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 40);
        var apiKey = "ABSK" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 60);
        var config = dir.Write("identities.yaml", $"""
            region: us-west-2
            accounts:
              - id: "111122223333"
            users:
              - name: alice
                account: "111122223333"
                accessKeys:
                  - accessKeyId: {keyId}
                    secretAccessKey: {secret}
                bedrockApiKeys: [{apiKey}]
            """);

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliRunner.BasaltDll, "emulator", "--config", config, "--port", "0" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment["COLUMNS"] = "200";
        using var process = Process.Start(info)!;
        try
        {
            var stdout = new StringBuilder();
            var stderrTask = process.StandardError.ReadToEndAsync();
            string? url = null;
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    stdout.AppendLine(line);
                    if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal))
                    {
                        break;
                    }

                    const string Marker = "listening on ";
                    if (line.Contains(Marker, StringComparison.Ordinal))
                    {
                        url = line[(line.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Trim();
                    }
                }
            }

            Assert.True(url is not null, stdout + await stderrTask);
            var aws = await ProcessRunner.RunAsync(ExternalTools.AwsCliV2(), ["sts", "get-caller-identity", "--endpoint-url", url!, "--region", "us-west-2", "--output", "text", "--query", "Arn"], environment: new Dictionary<string, string?>
            {
                ["AWS_ACCESS_KEY_ID"] = keyId,
                ["AWS_SECRET_ACCESS_KEY"] = secret,
                ["AWS_SESSION_TOKEN"] = null,
                ["AWS_PROFILE"] = null,
                ["AWS_CONFIG_FILE"] = dir.Combine("aws-config"),
                ["AWS_SHARED_CREDENTIALS_FILE"] = dir.Combine("aws-credentials"),
            });

            var interrupt = await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                await process.WaitForExitAsync(exit.Token);
            }

            stdout.Append(await process.StandardOutput.ReadToEndAsync());
            var output = stdout.ToString();
            var stderr = await stderrTask;

            Assert.Equal(0, interrupt.ExitCode);
            Assert.True(aws.ExitCode == 0, aws.Stderr);
            Assert.Equal("arn:aws:iam::111122223333:user/alice", aws.Stdout.Trim());
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Stopping the emulator.", output, StringComparison.Ordinal);
            Assert.Contains(keyId, output, StringComparison.Ordinal);
            Assert.Contains("/device", output, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, output + stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(apiKey, output + stderr, StringComparison.Ordinal);
        }
        finally
        {
            // Never leave a server behind when an assertion or a timeout failed.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Emulator_with_a_bad_config_exits_1_with_file_and_line()
    {
        using var dir = new TempDirectory("cli-emulator-bad");
        var config = dir.Write("identities.yaml", "accounts:\n  - id: \"12\"\nusers:\n  - name: alice\n    account: \"111122223333\"\n");

        var result = await CliRunner.RunAsync(["emulator", "--config", config, "--port", "0"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{config}:2:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("EMU1005", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{config}:5:", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
