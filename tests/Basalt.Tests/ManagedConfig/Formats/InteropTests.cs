using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;
using Basalt.Testing;

namespace Basalt.Tests.ManagedConfig.Formats;

/// <summary>
/// Every output format is read back by a parser that is not ours: plistlib and plistutil (libplist) for
/// profiles and plists, jq for JSON, hivex (hivexregedit --merge into a real hive, then hivexml) for .reg,
/// xmllint for ADMX/ADML. And Basalt reads files those tools wrote.
/// </summary>
public sealed class InteropTests
{
    private const int Iterations = 12;

    [Fact]
    public async Task Mobileconfig_is_read_by_plistlib_and_plistutil_with_every_value_a_string()
    {
        var random = new Random(11);
        using var dir = new TempDirectory("h2-mc");
        var cases = new List<(List<KeyValuePair<string, string>> Values, string File, string Binary)>();
        for (var i = 0; i < Iterations; i++)
        {
            var values = RandomConfigurations.Create(random);
            var file = dir.Write($"p{i}.mobileconfig", ManagedConfigWriter.Write(ConfigFormat.MobileConfig, values,
                new ExportOptions { Organization = "Acme & Co <IT>", Description = "Claude \"3P\"", IdentitySeed = "acme" }));

            // libplist parses our XML and writes binary; plistlib reads both (one Python process for all files).
            var binary = dir.Combine($"p{i}.bin.mobileconfig");
            await FormatTools.RunAsync("plistutil", "apt-get install -y libplist-utils", "-i", file, "-o", binary, "-f", "bin");
            cases.Add((values, file, binary));
        }

        var dumps = await FormatTools.PlistDumpAsync([.. cases.SelectMany(c => new[] { c.File, c.Binary })]);
        for (var i = 0; i < cases.Count; i++)
        {
            var (values, _, binary) = cases[i];
            var profile = dumps[2 * i].AsObject();
            Assert.Equal("Configuration", (string?)profile["PayloadType"]);
            Assert.Equal("Acme & Co <IT>", (string?)profile["PayloadOrganization"]);
            Assert.Equal(1, (int?)profile["PayloadVersion"]);
            var payload = Assert.Single(profile["PayloadContent"]!.AsArray())!.AsObject();
            Assert.Equal(ManagedConfigReader.PreferenceDomain, (string?)payload["PayloadType"]);
            Assert.NotEqual((string?)profile["PayloadUUID"], (string?)payload["PayloadUUID"]);
            var settings = payload.Where(p => !p.Key.StartsWith("Payload", StringComparison.Ordinal)).ToList();
            Assert.All(settings, p => Assert.Equal(JsonValueKind.String, p.Value!.GetValueKind()));
            Assert.Equal(values.Select(v => (v.Key, v.Value)), settings.Select(p => (p.Key, (string)p.Value!)));

            // Basalt reads libplist's binary too.
            Assert.Equal(profile.ToJsonString(), dumps[(2 * i) + 1].ToJsonString());
            RoundTripTests.AssertSame(values, ManagedConfigReader.ReadFile(binary), $"binary {i}");
        }
    }

    [Fact]
    public async Task Plain_plist_is_read_by_plistlib_and_plistutil()
    {
        var random = new Random(12);
        using var dir = new TempDirectory("h2-pl");
        var cases = new List<(List<KeyValuePair<string, string>> Values, string File)>();
        for (var i = 0; i < Iterations; i++)
        {
            var values = RandomConfigurations.Create(random);
            var file = dir.Write($"p{i}.plist", ManagedConfigWriter.Write(ConfigFormat.Plist, values));
            var binary = dir.Combine($"p{i}.bin.plist");
            await FormatTools.RunAsync("plistutil", "apt-get install -y libplist-utils", "-i", file, "-o", binary, "-f", "bin");
            RoundTripTests.AssertSame(values, ManagedConfigReader.ReadFile(binary), $"binary {i}");
            cases.Add((values, file));
        }

        var dumps = await FormatTools.PlistDumpAsync([.. cases.Select(c => c.File)]);
        for (var i = 0; i < cases.Count; i++)
        {
            Assert.Equal(cases[i].Values.Select(v => (v.Key, v.Value)), dumps[i].AsObject().Select(p => (p.Key, (string)p.Value!)));
        }
    }

    [Fact]
    public async Task Binary_plist_written_by_plistlib_with_native_containers_is_read()
    {
        using var dir = new TempDirectory("h2-bin");
        var file = dir.Combine("com.anthropic.claudefordesktop.plist");
        var json = """{"inferenceProvider":"bedrock","inferenceModels":["claude-sonnet-4",{"name":"opus","supports1m":true}],"autoUpdaterEnforcementHours":24,"disableAutoUpdates":false,"ratio":1.5,"otlpHeaders":{"a":"b"}}""";
        var made = await FormatTools.PythonRawAsync("plist_make.py", json, file, "binary");
        Assert.True(made.ExitCode == 0, made.ToString());

        var read = ManagedConfigReader.ReadFile(file);
        Assert.Empty(read.ParseDiagnostics);
        Assert.Equal(ConfigPlatform.MacOS, read.Platform);
        Assert.Equal(
            [
                ("inferenceProvider", "bedrock", WireType.String),
                ("inferenceModels", """["claude-sonnet-4",{"name":"opus","supports1m":true}]""", WireType.NativeArray),
                ("autoUpdaterEnforcementHours", "24", WireType.Number),
                ("disableAutoUpdates", "false", WireType.Boolean),
                ("ratio", "1.5", WireType.Number),
                ("otlpHeaders", """{"a":"b"}""", WireType.NativeObject),
            ],
            read.Entries.Select(e => (e.Key, e.Value!, e.WireType)));
        Assert.All(read.Entries, e => Assert.Equal(ManagedConfigReader.PreferenceDomain, e.Location.Scope));
    }

    [Fact]
    public async Task Linux_json_is_read_by_jq()
    {
        var random = new Random(13);
        using var dir = new TempDirectory("h2-jq");
        var cases = new List<(List<KeyValuePair<string, string>> Values, string File)>();
        for (var i = 0; i < Iterations * 3; i++)
        {
            var values = RandomConfigurations.Create(random);
            cases.Add((values, dir.Write($"m{i}.json", ManagedConfigWriter.Write(ConfigFormat.LinuxJson, values))));
        }

        // jq reads every file in one process and prints one compact line per file, in order.
        var output = await FormatTools.RunAsync("jq", "apt-get install -y jq", ["-c", "to_entries | map([.key, (.value | type), (if (.value | type) == \"string\" then .value else (.value | tojson) end)])", .. cases.Select(c => c.File)]);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Count, lines.Length);
        for (var i = 0; i < cases.Count; i++)
        {
            var values = cases[i].Values;
            var rows = JsonNode.Parse(lines[i])!.AsArray();
            Assert.Equal(values.Count, rows.Count);
            for (var k = 0; k < values.Count; k++)
            {
                var row = rows[k]!.AsArray();
                Assert.Equal(values[k].Key, (string)row[0]!);
                if ((string)row[1]! == "string")
                {
                    Assert.Equal(values[k].Value, (string)row[2]!);
                }
                else
                {
                    // Native JSON: same document as the wire string, by jq's reading.
                    Assert.True(KeyCatalogue.Find(values[k].Key)?.IsJson, values[k].Key);
                    Assert.True(JsonNode.DeepEquals(JsonNode.Parse(values[k].Value), JsonNode.Parse((string)row[2]!)), values[k].Value);
                }
            }
        }
    }

    [Theory]
    [InlineData(RegistryHive.LocalMachine, "HKLM")]
    [InlineData(RegistryHive.CurrentUser, "HKCU")]
    public async Task Reg_file_merges_into_a_real_hive_with_hivex_as_reg_sz_values_directly_under_the_policy_key(RegistryHive hive, string scope)
    {
        FormatTools.RequireHivex();
        var random = new Random(14 + (int)hive);
        using var dir = new TempDirectory("h2-hivex");
        var cases = new List<(List<KeyValuePair<string, string>> Values, string File)>();
        for (var i = 0; i < Iterations; i++)
        {
            var values = RandomConfigurations.Create(random);
            cases.Add((values, dir.Write($"r{i}.reg", ManagedConfigWriter.Write(ConfigFormat.Reg, values, new ExportOptions { RegistryHive = hive }))));
        }

        // One hive per file, one Python process for all of them.
        var hives = (await FormatTools.PythonAsync("hivex_merge.py", ["--each", scope, .. cases.Select(c => c.File)])).Split('\0')[..^1];
        Assert.Equal(cases.Count, hives.Length);
        for (var i = 0; i < cases.Count; i++)
        {
            var claude = PolicyKey(hives[i], scope);
            Assert.Empty(claude.Elements("node"));
            var stored = claude.Elements("value").Select(v => ((string)v.Attribute("key")!, (string)v.Attribute("type")!, (string)v.Attribute("value")!)).ToList();
            Assert.Equal(cases[i].Values.Select(v => (v.Key, "string", v.Value)), stored);
        }
    }

    [Fact]
    public async Task Remove_stale_values_deletes_catalogue_values_from_an_earlier_deployment_in_hivex()
    {
        FormatTools.RequireHivex();
        using var dir = new TempDirectory("h2-stale");
        var first = dir.Write("first.reg", ManagedConfigWriter.Write(ConfigFormat.Reg,
            [new("inferenceProvider", "gateway"), new("inferenceGatewayBaseUrl", "https://gw.example.com"), new("unrelatedValue", "keep")]));
        var second = dir.Write("second.reg", ManagedConfigWriter.Write(ConfigFormat.Reg,
            [new("inferenceProvider", "bedrock"), new("inferenceBedrockRegion", "us-west-2")], new ExportOptions { RemoveStaleValues = true }));
        var claude = PolicyKey(await FormatTools.PythonAsync("hivex_merge.py", "HKLM", first, second), "HKLM");
        var stored = claude.Elements("value").ToDictionary(v => (string)v.Attribute("key")!, v => (string)v.Attribute("value")!);
        Assert.Equal(new Dictionary<string, string>
        {
            ["inferenceProvider"] = "bedrock",
            ["unrelatedValue"] = "keep",
            ["inferenceBedrockRegion"] = "us-west-2",
        }, stored);
    }

    [Fact]
    public async Task Admx_and_adml_are_well_formed_for_xmllint()
    {
        using var dir = new TempDirectory("h2-admx");
        foreach (var (name, bytes) in ManagedConfigWriter.WriteAdmx())
        {
            var file = dir.Write(name, bytes);
            await FormatTools.RunAsync("xmllint", "apt-get install -y libxml2-utils", "--noout", "--nonet", file);
        }
    }

    [Fact]
    public async Task Plists_written_by_basalt_are_well_formed_for_xmllint()
    {
        using var dir = new TempDirectory("h2-xl");
        var values = RandomConfigurations.Create(new Random(15));
        var file = dir.Write("p.mobileconfig", ManagedConfigWriter.Write(ConfigFormat.MobileConfig, values));
        await FormatTools.RunAsync("xmllint", "apt-get install -y libxml2-utils", "--noout", "--nonet", file);
    }

    private static XElement PolicyKey(string hivexml, string scope)
    {
        var root = XDocument.Parse(hivexml).Root!.Element("node")!;
        var path = scope == "HKLM" ? new[] { "Policies", "Claude" } : ["SOFTWARE", "Policies", "Claude"];
        var node = root;
        foreach (var name in path)
        {
            node = node.Elements("node").Single(n => (string?)n.Attribute("name") == name);
        }

        return node;
    }
}
