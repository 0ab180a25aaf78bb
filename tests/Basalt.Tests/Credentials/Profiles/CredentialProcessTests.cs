using System.Text.Json;
using Basalt.Credentials;
using Basalt.Credentials.Profiles;
using Basalt.Tests.Credentials.Support;

namespace Basalt.Tests.Credentials.Profiles;

public sealed class CredentialProcessTests
{
    private static readonly CredentialRequest Silent = new(CredentialContext.Background, TextWriter.Null);

    private static string Script(CredentialTestEnvironment env, string name, string python)
    {
        var path = env.Write(env.Combine(name), python);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Fact]
    public async Task Version_1_output_is_parsed_like_the_aws_cli_and_stderr_reaches_the_log_but_stdout_does_not()
    {
        using var env = new CredentialTestEnvironment();
        var script = Script(env, "issue creds.py", """
            import json, sys
            print("talking to the user", file=sys.stderr)
            print(json.dumps({"Version": 1, "AccessKeyId": "ASIAPROCESS000000001", "SecretAccessKey": "proc/secret", "SessionToken": "proc-token", "Expiration": "2099-01-02T03:04:05Z"}))
            """);
        env.WriteConfig($"[profile proc]\ncredential_process = python3 \"{script}\" --flag 'two words'\n");

        var log = new StringWriter();
        var basalt = await new AwsProfileSource("proc", env.ToCredentialEnvironment()).GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, log), default);
        Assert.Equal("ASIAPROCESS000000001", basalt.AccessKeyId);
        Assert.Equal(new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero), basalt.Expiration);
        Assert.Contains("talking to the user", log.ToString());
        Assert.DoesNotContain("proc/secret", log.ToString());

        var cli = await env.AwsAsync("configure", "export-credentials", "--profile", "proc");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        using var expected = JsonDocument.Parse(cli.Stdout);
        Assert.Equal(expected.RootElement.GetProperty("AccessKeyId").GetString(), basalt.AccessKeyId);
        Assert.Equal(expected.RootElement.GetProperty("SessionToken").GetString(), basalt.SessionToken);
        Assert.Equal(DateTimeOffset.Parse(expected.RootElement.GetProperty("Expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture), basalt.Expiration);
    }

    [Theory]
    [InlineData("import sys; print('boom', file=sys.stderr); sys.exit(3)", "exit code 3")]
    [InlineData("print('{\"Version\": 2, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"b\"}')", "unsupported Version '2'")]
    [InlineData("print('{\"Version\": 1, \"AccessKeyId\": \"a\"}')", "SecretAccessKey")]
    [InlineData("print('not json')", "did not print JSON")]
    public async Task Failures_are_reported_like_the_aws_cli_does(string python, string expected)
    {
        using var env = new CredentialTestEnvironment();
        var script = Script(env, "bad.py", python + "\n");
        env.WriteConfig($"[profile bad]\ncredential_process = python3 {script}\n");
        var error = await Assert.ThrowsAsync<CredentialException>(async () => await new AwsProfileSource("bad", env.ToCredentialEnvironment()).GetCredentialsAsync(Silent, default));
        Assert.Contains(expected, error.Message);
        Assert.NotEqual(0, (await env.AwsAsync("configure", "export-credentials", "--profile", "bad")).ExitCode);
    }

    [Fact]
    public async Task A_process_that_hangs_is_stopped_at_the_timeout()
    {
        using var env = new CredentialTestEnvironment();
        var script = Script(env, "hang.py", "import time\ntime.sleep(60)\n");
        env.WriteConfig($"[profile hang]\ncredential_process = python3 {script}\n");
        var source = new AwsProfileSource("hang", env.ToCredentialEnvironment()) { CredentialProcessTimeout = TimeSpan.FromSeconds(1) };
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<CredentialException>(async () => await source.GetCredentialsAsync(Silent, default));
        Assert.Contains("did not finish within 1 s", error.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("a 'b c' \"d \\\" e\" f\\ g", new[] { "a", "b c", "d \" e", "f g" })]
    [InlineData("  /bin/x   --y=z  ", new[] { "/bin/x", "--y=z" })]
    [InlineData("\"C:\\Program Files\\x.exe\" arg", new[] { "C:\\Program Files\\x.exe", "arg" })]
    public void Command_lines_split_like_python_shlex(string line, string[] words)
    {
        Assert.True(ShellWords.TrySplitPosix(line, out var actual));
        Assert.Equal(words, actual);
    }

    [Fact]
    public void Windows_command_lines_split_like_the_c_runtime()
    {
        Assert.True(ShellWords.TrySplitWindows("\"C:\\Program Files\\helper.exe\" --x \"a \\\"q\\\" b\" c\\\\d", out var words));
        Assert.Equal(["C:\\Program Files\\helper.exe", "--x", "a \"q\" b", "c\\\\d"], words);
    }
}
