using Basalt.Testing;

namespace Basalt.Cli.Tests.Credentials;

/// <summary><c>basalt credentials</c> runs the same code as the NativeAOT <c>basalt-credential</c>.</summary>
public sealed class CredentialsCommandTests
{
    [Fact]
    public async Task Basalt_credentials_and_the_native_helper_print_the_same()
    {
        using var home = new TempDirectory("credentials-cli");
        var settings = home.Write("s.json", """
            {"version":1,"profiles":{"keys":{"source":"static","region":"us-east-1","accessKeyId":"AKIAIOSFODNN7EXAMPLE","secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}}
            """);
        var env = new Dictionary<string, string?> { ["HOME"] = home.Path, ["XDG_CACHE_HOME"] = null, ["CLAUDE_HELPER_CONTEXT"] = null, ["BASALT_CREDENTIAL_SETTINGS"] = null };
        var helper = ExternalTools.CredentialHelper();

        foreach (var args in new[] { new[] { "process" }, ["claude-code"], ["env", "--shell", "posix"], ["explain"], ["check"] })
        {
            var basalt = await CliRunner.RunAsync(["credentials", .. args, "--settings", settings], environment: env);
            var native = await ProcessRunner.RunAsync(helper, [.. args, "--settings", settings], environment: env);

            Assert.True(basalt.ExitCode == 0, basalt.ToString());
            Assert.Equal(native.ExitCode, basalt.ExitCode);
            Assert.Equal(native.Stdout, basalt.Stdout);
        }
    }

    [Fact]
    public async Task Basalt_credentials_help_lists_the_helper_commands()
    {
        var result = await InProcessCli.RunAsync(["credentials", "--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "process", "claude-code", "env", "token", "login", "explain", "clear-cache", "check-expiration" })
        {
            Assert.Contains(verb, result.Stdout, StringComparison.Ordinal);
        }
    }
}
