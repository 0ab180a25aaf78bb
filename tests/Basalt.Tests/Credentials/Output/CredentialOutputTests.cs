using System.Text.Json;
using Basalt.Aws;
using Basalt.Credentials.Output;
using Basalt.Testing;

namespace Basalt.Tests.Credentials.Output;

public sealed class CredentialOutputTests
{
    private static readonly AwsCredentials Temporary = new("ASIAOUTPUT0000000001", "it's a $HOME `x` \"q\" \\ secret", "tok+en/==", new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)));

    [Fact]
    public void Credential_process_json_is_version_1_with_utc_expiration()
    {
        using var document = JsonDocument.Parse(CredentialOutput.CredentialProcess(Temporary));
        var root = document.RootElement;
        Assert.Equal(["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("Version").GetInt32());
        Assert.Equal("2030-05-06T05:08:09Z", root.GetProperty("Expiration").GetString());
        Assert.Equal(Temporary.SecretAccessKey, root.GetProperty("SecretAccessKey").GetString());
        Assert.DoesNotContain("Expiration", CredentialOutput.CredentialProcess(new AwsCredentials("AKIA", "s")));
    }

    [Fact]
    public void Aws_credential_export_has_exactly_the_shape_claude_code_reads()
    {
        Assert.Equal(
            "{\"Credentials\":{\"AccessKeyId\":\"ASIAOUTPUT0000000001\",\"SecretAccessKey\":\"it's a $HOME `x` \\\"q\\\" \\\\ secret\",\"SessionToken\":\"tok+en/==\"}}",
            CredentialOutput.AwsCredentialExport(Temporary));
    }

    [Fact]
    public void Desktop_helper_prints_a_bare_token_unless_there_are_headers()
    {
        Assert.Equal("bedrock-api-key-abc", CredentialOutput.DesktopHelper("bedrock-api-key-abc"));
        Assert.Equal("{\"token\":\"t\",\"headers\":{\"A-Header\":\"1\",\"X-Org-Route\":\"prod\"}}", CredentialOutput.DesktopHelper("t", new Dictionary<string, string> { ["X-Org-Route"] = "prod", ["A-Header"] = "1" }));
    }

    [Fact]
    public async Task Posix_export_survives_a_real_shell_with_hostile_characters()
    {
        var script = CredentialOutput.ShellExport(Temporary, ShellKind.Posix, "us-west-2", "bedrock-api-key-x")
            + "printf '%s\\n%s\\n%s\\n%s\\n%s' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\" \"$AWS_SESSION_TOKEN\" \"$AWS_REGION\" \"$AWS_BEARER_TOKEN_BEDROCK\"";
        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", script]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal([Temporary.AccessKeyId, Temporary.SecretAccessKey, Temporary.SessionToken!, "us-west-2", "bedrock-api-key-x"], result.Stdout.Split('\n'));
    }

    [Fact]
    public void Long_term_keys_unset_a_stale_session_token()
    {
        var posix = CredentialOutput.ShellExport(new AwsCredentials("AKIA1", "s"), ShellKind.Posix);
        Assert.Contains("unset AWS_SESSION_TOKEN\n", posix);
        var pwsh = CredentialOutput.ShellExport(new AwsCredentials("AKIA1", "s"), ShellKind.PowerShell);
        Assert.Contains("Remove-Item Env:AWS_SESSION_TOKEN -ErrorAction SilentlyContinue\n", pwsh);
    }

    [Fact]
    public void PowerShell_export_uses_verbatim_strings_with_doubled_quotes()
    {
        var text = CredentialOutput.ShellExport(Temporary, ShellKind.PowerShell);
        Assert.Contains("$Env:AWS_SECRET_ACCESS_KEY = 'it''s a $HOME `x` \"q\" \\ secret'\n", text);
        Assert.Equal("'a\u2019\u2019b'", CredentialOutput.QuotePowerShell("a\u2019b"));
    }
}
