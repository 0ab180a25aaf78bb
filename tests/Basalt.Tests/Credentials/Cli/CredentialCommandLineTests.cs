using Basalt.Credentials.Cli;
using Basalt.Credentials.Output;

namespace Basalt.Tests.Credentials.Cli;

/// <summary>The NativeAOT helper's hand parser: the command contract generated artifacts rely on.</summary>
public sealed class CredentialCommandLineTests
{
    [Theory]
    [InlineData(new string[0], CredentialVerb.Desktop)]
    [InlineData(new[] { "process", "--profile", "work" }, CredentialVerb.Process)]
    [InlineData(new[] { "credential-process", "--profile=work" }, CredentialVerb.Process)]
    [InlineData(new[] { "claude-code", "-p", "work" }, CredentialVerb.ClaudeCode)]
    [InlineData(new[] { "--login" }, CredentialVerb.Login)]
    [InlineData(new[] { "--explain" }, CredentialVerb.Explain)]
    [InlineData(new[] { "--clear-cache" }, CredentialVerb.ClearCache)]
    [InlineData(new[] { "--check-expiration" }, CredentialVerb.CheckExpiration)]
    [InlineData(new[] { "token" }, CredentialVerb.Token)]
    [InlineData(new[] { "check" }, CredentialVerb.Check)]
    [InlineData(new[] { "--help" }, CredentialVerb.Help)]
    [InlineData(new[] { "--version" }, CredentialVerb.Version)]
    public void Verbs_and_their_flag_spellings_parse(string[] args, CredentialVerb expected)
    {
        var invocation = CredentialCommandLine.Parse(args, out var error);

        Assert.Null(error);
        Assert.Equal(expected, invocation!.Verb);
    }

    [Fact]
    public void Options_go_anywhere_and_take_inline_values()
    {
        var invocation = CredentialCommandLine.Parse(["--settings=/etc/x.json", "env", "--shell", "powershell", "--profile", "a b"], out var error);

        Assert.Null(error);
        Assert.Equal(new CredentialInvocation(CredentialVerb.Env) { Profile = "a b", SettingsPath = "/etc/x.json", Shell = ShellKind.PowerShell }, invocation);
    }

    [Theory]
    [InlineData(new[] { "proces" }, "unknown command 'proces'")]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--token" }, "unknown option '--token'")]
    [InlineData(new[] { "process", "--profile" }, "--profile needs a value")]
    [InlineData(new[] { "process", "--profile=" }, "--profile needs a value")]
    [InlineData(new[] { "process", "login" }, "'login' cannot be combined with another command")]
    [InlineData(new[] { "env", "--shell", "fish" }, "--shell must be posix or powershell, not 'fish'")]
    [InlineData(new[] { "process", "--shell", "posix" }, "--shell applies only to the env command")]
    public void Usage_errors_say_what_is_wrong(string[] args, string expected)
    {
        Assert.Null(CredentialCommandLine.Parse(args, out var error));
        Assert.Equal(expected, error);
    }
}
