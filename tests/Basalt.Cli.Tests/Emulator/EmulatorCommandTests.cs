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
    private const int Sigterm = 15;

    private static int SendSigterm(int pid) => Kill(pid, Sigterm);

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in the test project for one call.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054

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
        var stdout = new StringBuilder();
        var urlFound = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Read on a background task: a pipe read does not honour cancellation, so the test waits on this task
        // with a deadline instead of blocking in ReadLine.
        var reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (stdout)
                {
                    stdout.AppendLine(line);
                }

                const string Marker = "listening on ";
                var at = line.IndexOf(Marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    urlFound.TrySetResult(line[(at + Marker.Length)..].Trim().TrimEnd('/'));
                }
            }

            urlFound.TrySetException(new InvalidOperationException("the emulator exited before it listened"));
        });
        var stderrTask = process.StandardError.ReadToEndAsync();
        try
        {
            var url = await urlFound.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var aws = await ProcessRunner.RunAsync(ExternalTools.AwsCliV2(), ["sts", "get-caller-identity", "--endpoint-url", url, "--region", "us-west-2", "--output", "text", "--query", "Arn"], environment: new Dictionary<string, string?>
            {
                ["AWS_ACCESS_KEY_ID"] = keyId,
                ["AWS_SECRET_ACCESS_KEY"] = secret,
                ["AWS_SESSION_TOKEN"] = null,
                ["AWS_PROFILE"] = null,
                ["AWS_CONFIG_FILE"] = dir.Combine("aws-config"),
                ["AWS_SHARED_CREDENTIALS_FILE"] = dir.Combine("aws-credentials"),
                ["AWS_EC2_METADATA_DISABLED"] = "true",
            }, timeout: TimeSpan.FromSeconds(90));

            Assert.Equal(0, SendSigterm(process.Id));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await reader.WaitAsync(TimeSpan.FromSeconds(10));
            var output = stdout.ToString();
            var stderr = await stderrTask;

            Assert.True(aws.ExitCode == 0, aws.ToString());
            Assert.Equal("arn:aws:iam::111122223333:user/alice", aws.Stdout.Trim());
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Press Ctrl+C to stop.", output, StringComparison.Ordinal);
            Assert.Contains("Stopping the emulator.", output, StringComparison.Ordinal);
            Assert.Contains(keyId, output, StringComparison.Ordinal);
            Assert.Contains("/device", output, StringComparison.Ordinal);
            Assert.Matches(@"HTTP/2 \(cleartext\) http://127\.0\.0\.1:\d+/", output);
            Assert.DoesNotContain(secret, output + stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(apiKey, output + stderr, StringComparison.Ordinal);
        }
        catch (TimeoutException e)
        {
            string seen;
            lock (stdout)
            {
                seen = stdout.ToString();
            }

            throw new TimeoutException($"{e.Message}\n--- emulator stdout so far ---\n{seen}", e);
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

        var result = await InProcessCli.RunAsync(["emulator", "--config", config, "--port", "0"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{config}:2:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("EMU1005", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{config}:5:", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
