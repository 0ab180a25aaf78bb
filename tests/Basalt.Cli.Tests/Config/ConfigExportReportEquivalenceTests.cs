using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Config;

/// <summary>
/// Issue "managed-configuration engine": the report of an export equals the report of its source. Exported with the
/// real <c>basalt config export</c>, judged with the real <c>basalt config report --json</c>; only where each value
/// came from (file, line, hive) may differ.
/// </summary>
public sealed class ConfigExportReportEquivalenceTests
{
    // Three kinds of source: a clean in-app AWS sign-in rollout, a bearer-token PoC with a typo'd and a deprecated key
    // (warnings, a secret to redact), and a broken one (no region: the device stays out of third-party mode).
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var source in new[] { "sso", "bearer", "broken" })
        {
            foreach (var format in new[] { "reg", "mobileconfig", "plist", "json", "ps1" })
            {
                data.Add(source, format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Report_of_an_export_equals_the_report_of_its_source(string sourceName, string format)
    {
        using var dir = new TempDirectory("export-report");
        var source = dir.Write($"{sourceName}.reg", Sources[sourceName]);
        var exported = dir.Combine($"exported.{Extension(format)}");

        var export = await InProcessCli.RunAsync(["config", "export", source, "--format", format, "-o", exported]);
        Assert.True(export.ExitCode == 0, export.ToString());

        // Both sides are judged as the device the exported format is for (native JSON containers, for instance,
        // are the documented form on Linux and a warning elsewhere).
        var platform = format switch { "json" => "linux", "mobileconfig" or "plist" => "macos", _ => "windows" };
        var before = await ReportAsync(source, platform);
        var after = await ReportAsync(exported, platform);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Export_of_a_split_hive_source_keeps_what_the_app_reads_and_says_what_it_left_out()
    {
        // From v1.19367.0 any HKLM policy hides HKCU completely (cowork3p-reference §1.3): the HKCU value must not
        // reappear in the converted profile, and the user is told why.
        using var dir = new TempDirectory("export-hives");
        var source = dir.Write("split.reg", """
            Windows Registry Editor Version 5.00

            [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
            "inferenceProvider"="bedrock"
            "inferenceBedrockRegion"="us-west-2"

            [HKEY_CURRENT_USER\SOFTWARE\Policies\Claude]
            "inferenceBedrockProfile"="claude"

            """);
        var exported = dir.Combine("out.json");

        var export = await InProcessCli.RunAsync(["config", "export", source, "--format", "json", "-o", exported]);

        Assert.True(export.ExitCode == 0, export.ToString());
        var json = JsonNode.Parse(await File.ReadAllTextAsync(exported))!.AsObject();
        Assert.Equal(["inferenceProvider", "inferenceBedrockRegion"], json.Select(p => p.Key));
        Assert.Contains("inferenceBedrockProfile", export.Stderr, StringComparison.Ordinal);
        Assert.Contains("Not exported", export.Stderr, StringComparison.Ordinal);
    }

    private static async Task<string> ReportAsync(string path, string platform)
    {
        // One platform and one date for both sides, so only the file format differs.
        var result = await InProcessCli.RunAsync(["config", "report", path, "--json", "--platform", platform, "--now", "2026-11-20T12:00:00Z"]);
        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        var node = JsonNode.Parse(result.Stdout)!;
        StripProvenance(node, path);
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Removes where values came from (file, line, hive), which legitimately differs between formats.</summary>
    private static void StripProvenance(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove("source");
                obj.Remove("sources");
                obj.Remove("wireType");
                foreach (var (_, child) in obj.ToList())
                {
                    StripProvenance(child, path);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    StripProvenance(child, path);
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Contains(path, StringComparison.Ordinal):
                value.ReplaceWith(JsonValue.Create(text.Replace(path, "<source>", StringComparison.Ordinal)));
                break;
        }
    }

    private static string Extension(string format) => format switch
    {
        "json" => "json",
        "ps1" => "ps1",
        _ => format,
    };

    private static readonly Dictionary<string, string> Sources = new()
    {
        ["sso"] = """
            Windows Registry Editor Version 5.00

            [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
            "inferenceProvider"="bedrock"
            "inferenceBedrockRegion"="us-west-2"
            "inferenceCredentialKind"="interactive"
            "inferenceBedrockSsoStartUrl"="https://d-9067example.awsapps.com/start"
            "inferenceBedrockSsoRegion"="us-east-1"
            "inferenceBedrockSsoAccountId"="111122223333"
            "inferenceBedrockSsoRoleName"="ClaudeCoworkAccess"
            "inferenceModels"="[{\"name\":\"us.anthropic.claude-sonnet-4-5-20250929-v1:0\",\"labelOverride\":\"Sonnet\"}]"
            "coworkEgressAllowedHosts"="[\"*.example.com\",\"pypi.org\"]"
            "disableDeploymentModeChooser"="true"
            "deploymentOrganizationUuid"="6f3a2c1e-8b4d-4e5f-9a7b-2c3d4e5f6a7b"

            """,
        ["bearer"] = """
            Windows Registry Editor Version 5.00

            [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
            "inferenceProvider"="bedrock"
            "inferenceBedrockRegion"="us-gov-west-1"
            "inferenceBedrockBearerToken"="bedrock-api-key-EXAMPLEEXAMPLEEXAMPLE"
            "inferenceBedrockServiceTier"="priority"
            "inferenceGatewayHeaders"="[\"X-Org: team1\"]"
            "inferenceBedrockRegoin"="us-east-1"
            "autoUpdaterEnforcementHours"="24"

            """,
        ["broken"] = """
            Windows Registry Editor Version 5.00

            [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]
            "inferenceProvider"="bedrock"
            "inferenceBedrockProfile"="claude"
            "inferenceBedrockServiceTier"="fast"
            "autoUpdaterEnforcementHours"="96"

            """,
    };
}
