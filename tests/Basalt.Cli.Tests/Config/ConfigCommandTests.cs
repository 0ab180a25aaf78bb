using System.Text.Json;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Config;

/// <summary>The real <c>basalt config</c> process on real files in every format the readers accept.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private const string Token = "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQtdmFsdWUtMTIzNDU2Nzg5MA==";
    private readonly TempDirectory _dir = new("config-cli");

    public void Dispose() => _dir.Dispose();

    private string GoodJson() => _dir.Write("good/managed-settings.json", $$"""
        {
          "inferenceProvider": "bedrock",
          "inferenceBedrockRegion": "us-west-2",
          "inferenceCredentialKind": "static",
          "inferenceBedrockBearerToken": "{{Token}}",
          "inferenceModels": ["us.anthropic.claude-sonnet-4-20250514-v1:0"],
          "disableAutoUpdates": true
        }
        """);

    private string BadReg() => _dir.Write("bad.reg", string.Join("\r\n",
        "Windows Registry Editor Version 5.00",
        "",
        @"[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]",
        "\"inferenceProvider\"=\"bedrock\"",
        "\"inferenceBedrockRegion\"=\"us-gov-west-1\"",
        $"\"inferenceBedrockBearerToken\"=\"{Token}\"",
        "\"inferenceBedrockProfile\"=\"claude\"",
        "\"inferenceModels\"=\"[\\\"us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0\\\"]\"",
        "\"inferenceBedrockRegoin\"=\"us-west-2\"",
        "\"inferenceBedrockSsoAccountId\"=\"1234\"",
        "",
        @"[HKEY_CURRENT_USER\SOFTWARE\Policies\Claude]",
        "\"disableAutoUpdates\"=\"true\"",
        ""));

    [Fact]
    public async Task Lint_of_a_clean_file_exits_zero()
    {
        var r = await InProcessCli.RunAsync(["config", "lint", GoodJson()]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("0 error(s)", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("enters third-party mode", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_of_a_broken_reg_exits_one_with_located_findings_and_no_secret()
    {
        var path = BadReg();
        var r = await InProcessCli.RunAsync(["config", "lint", path, "--app-version", "1.19367.0"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("BSL1308", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad.reg:10", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'inferenceBedrockRegion'?", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("BSL1206", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, r.Stderr + r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_json_lists_diagnostics_with_codes()
    {
        var r = await InProcessCli.RunAsync(["config", "lint", BadReg(), "--json"]);
        Assert.Equal(1, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.True(doc.RootElement.GetProperty("errors").GetInt32() > 0);
        Assert.Contains(doc.RootElement.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "BSL1502");
    }

    [Fact]
    public async Task Report_names_the_winning_credential_by_app_version_and_redacts_the_token()
    {
        var path = BadReg();
        var older = await InProcessCli.RunAsync(["config", "report", path, "--app-version", "1.10000.0", "--json"]);
        Assert.True(older.ExitCode == 0, older.Stderr);
        using (var doc = JsonDocument.Parse(older.Stdout))
        {
            var credential = doc.RootElement.GetProperty("credential");
            Assert.Equal("bedrock-bearer", credential.GetProperty("source").GetProperty("id").GetString());
            Assert.Equal("bedrock-cowork-3p", credential.GetProperty("rule").GetProperty("id").GetString());
        }

        var newer = await InProcessCli.RunAsync(["config", "report", path, "--app-version", "1.20000.0"]);
        Assert.Equal(0, newer.ExitCode);
        Assert.Contains("Credential:  named AWS profile", newer.Stdout, StringComparison.Ordinal);
        Assert.Contains("bedrock-claude-desktop", newer.Stdout, StringComparison.Ordinal);
        Assert.Contains("aws-us-gov", newer.Stdout, StringComparison.Ordinal);
        Assert.Contains($"***({Token.Length} chars)", newer.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, newer.Stdout + newer.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_of_a_missing_file_exits_one()
    {
        var r = await InProcessCli.RunAsync(["config", "report", _dir.Combine("nope.json")]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("BSL2001", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_across_formats_compares_meaning()
    {
        var json = GoodJson();
        var reg = _dir.Write("same.reg", string.Join("\r\n",
            "Windows Registry Editor Version 5.00",
            "",
            @"[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]",
            "\"inferenceProvider\"=\"bedrock\"",
            "\"inferenceBedrockRegion\"=\"us-west-2\"",
            "\"inferenceCredentialKind\"=\"static\"",
            $"\"inferenceBedrockBearerToken\"=\"{Token}\"",
            "\"inferenceModels\"=\"[\\\"us.anthropic.claude-sonnet-4-20250514-v1:0\\\"]\"",
            "\"disableAutoUpdates\"=dword:00000001",
            ""));
        var same = await InProcessCli.RunAsync(["config", "diff", json, reg]);
        Assert.True(same.ExitCode == 0, same.Stdout + same.Stderr);

        var different = await InProcessCli.RunAsync(["config", "diff", json, BadReg()]);
        Assert.Equal(1, different.ExitCode);
        Assert.Contains("~ inferenceBedrockRegion: us-west-2 -> us-gov-west-1", different.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, different.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_and_explain_render_the_catalogue()
    {
        var keys = await InProcessCli.RunAsync(["config", "keys", "--provider", "bedrock", "--json"]);
        Assert.Equal(0, keys.ExitCode);
        using var doc = JsonDocument.Parse(keys.Stdout);
        var names = doc.RootElement.EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
        Assert.Contains("inferenceBedrockSsoAccountId", names);
        Assert.DoesNotContain("inferenceVertexProjectId", names);

        var explain = await InProcessCli.RunAsync(["config", "explain", "inferenceGatewayHeaders"]);
        Assert.Equal(0, explain.ExitCode);
        Assert.Contains("DEPRECATED", explain.Stdout, StringComparison.Ordinal);
        Assert.Contains("inferenceCustomHeaders", explain.Stdout, StringComparison.Ordinal);
        Assert.Contains("2026-10-07 12:00", explain.Stdout, StringComparison.Ordinal);

        var typo = await InProcessCli.RunAsync(["config", "explain", "inferenceBedrokRegion"]);
        Assert.Equal(1, typo.ExitCode);
        Assert.Contains("inferenceBedrockRegion", typo.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deprecated_key_is_an_error_only_after_the_cutoff()
    {
        var path = _dir.Write("dep/managed-settings.json", $$"""
            {"inferenceProvider":"bedrock","inferenceBedrockRegion":"us-west-2","inferenceCredentialKind":"static",
             "inferenceBedrockBearerToken":"{{Token}}","inferenceModels":["us.anthropic.claude-sonnet-4-20250514-v1:0"],"isDxtEnabled":"true"}
            """);
        var before = await InProcessCli.RunAsync(["config", "lint", path, "--now", "2026-09-01"]);
        Assert.True(before.ExitCode == 0, before.Stderr);
        var after = await InProcessCli.RunAsync(["config", "lint", path, "--now", "2026-11-20"]);
        Assert.Equal(1, after.ExitCode);
        Assert.Contains("BSL1003", after.Stderr, StringComparison.Ordinal);
    }
}
