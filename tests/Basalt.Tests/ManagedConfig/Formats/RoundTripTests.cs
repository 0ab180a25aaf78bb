using Basalt.Diagnostics;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;
using Basalt.Testing;

namespace Basalt.Tests.ManagedConfig.Formats;

/// <summary>Property tests: for random valid configurations, read(write(x)) == x in every format, and output is deterministic.</summary>
public sealed class RoundTripTests
{
    private const int Iterations = 300;

    public static TheoryData<ConfigFormat> ValueFormats => [ConfigFormat.LinuxJson, ConfigFormat.MobileConfig, ConfigFormat.Plist, ConfigFormat.Reg, ConfigFormat.PowerShell];

    [Theory]
    [MemberData(nameof(ValueFormats))]
    public void Random_configurations_round_trip(ConfigFormat format)
    {
        var random = new Random(20240611 + (int)format);
        for (var i = 0; i < Iterations; i++)
        {
            var values = RandomConfigurations.Create(random);
            var options = new ExportOptions
            {
                RegistryHive = random.Next(2) == 0 ? RegistryHive.LocalMachine : RegistryHive.CurrentUser,
                RemoveStaleValues = random.Next(2) == 0,
                IdentitySeed = "seed-" + random.Next(5),
            };
            var bytes = ManagedConfigWriter.Write(format, values, options);
            Assert.Equal(bytes, ManagedConfigWriter.Write(format, values, options));

            var read = ManagedConfigReader.Read(bytes, format, "x");
            AssertSame(values, read, $"iteration {i}");
            if (format is ConfigFormat.Reg or ConfigFormat.PowerShell)
            {
                var hive = options.RegistryHive == RegistryHive.LocalMachine ? "HKLM" : "HKCU";
                Assert.All(read.Entries, e => Assert.Equal(hive, e.Location.Scope));
            }
        }
    }

    [Fact]
    public void Random_configurations_round_trip_through_a_config_library_folder()
    {
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            using var dir = new TempDirectory("h2-lib");
            var values = RandomConfigurations.Create(random);
            foreach (var (name, bytes) in ManagedConfigWriter.WriteConfigLibrary(values, "cfg-" + i, "Config " + i))
            {
                dir.Write(name, bytes);
            }

            var read = ManagedConfigReader.ReadFile(dir.Path);
            AssertSame(values, read, $"iteration {i}");
            Assert.All(read.Entries, e => Assert.Equal($"cfg-{i} (applied)", e.Location.Scope));
        }
    }

    [Fact]
    public void Json_typed_keys_are_written_as_native_json_in_the_linux_file()
    {
        var values = new List<KeyValuePair<string, string>>
        {
            new("inferenceProvider", "bedrock"),
            new("inferenceModels", "[\"claude-sonnet-4\",\"claude-opus-4\"]"),
            new("inferenceCustomHeaders", "{\"X-Org-Id\":\"team1\"}"),
            new("coworkEgressAllowedHosts", "not json ["),
        };
        var text = System.Text.Encoding.UTF8.GetString(ManagedConfigWriter.Write(ConfigFormat.LinuxJson, values));
        Assert.Contains("\"inferenceModels\": [\"claude-sonnet-4\",\"claude-opus-4\"]", text, StringComparison.Ordinal);
        Assert.Contains("\"inferenceCustomHeaders\": {\"X-Org-Id\":\"team1\"}", text, StringComparison.Ordinal);
        Assert.Contains("\"coworkEgressAllowedHosts\": \"not json [\"", text, StringComparison.Ordinal);
        var read = ManagedConfigReader.Read(text, ConfigFormat.LinuxJson, "managed-settings.json");
        Assert.Equal([WireType.String, WireType.NativeArray, WireType.NativeObject, WireType.String], read.Entries.Select(e => e.WireType));
        AssertSame(values, read, "native");
    }

    [Fact]
    public void Mobileconfig_uuids_are_stable_for_a_seed_and_differ_between_seeds()
    {
        var values = new List<KeyValuePair<string, string>> { new("inferenceProvider", "gateway") };
        string Uuids(string seed)
        {
            var text = System.Text.Encoding.UTF8.GetString(ManagedConfigWriter.Write(ConfigFormat.MobileConfig, values, new ExportOptions { IdentitySeed = seed }));
            return string.Join(",", System.Text.RegularExpressions.Regex.Matches(text, "[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}").Select(m => m.Value));
        }

        var a = Uuids("acme-prod");
        Assert.Equal(2, a.Split(',').Distinct().Count());
        Assert.Equal(a, Uuids("acme-prod"));
        Assert.NotEqual(a, Uuids("acme-dev"));
    }

    [Fact]
    public void Values_a_format_cannot_carry_are_reported_before_writing()
    {
        var nul = new List<KeyValuePair<string, string>> { new("a", "x\0y") };
        Assert.Equal(FormatDiagnosticCodes.NotRepresentable, Assert.Single(ManagedConfigWriter.Check(ConfigFormat.Reg, nul)).Code);
        Assert.Empty(ManagedConfigWriter.Check(ConfigFormat.LinuxJson, nul));
        var bell = new List<KeyValuePair<string, string>> { new("a", "\u0007") };
        Assert.Single(ManagedConfigWriter.Check(ConfigFormat.MobileConfig, bell));
        Assert.Throws<ArgumentException>(() => ManagedConfigWriter.Write(ConfigFormat.Plist, bell));
        var caseDuplicate = new List<KeyValuePair<string, string>> { new("inferenceProvider", "a"), new("InferenceProvider", "b") };
        Assert.Equal(FormatDiagnosticCodes.DuplicateExportKey, Assert.Single(ManagedConfigWriter.Check(ConfigFormat.Reg, caseDuplicate)).Code);
        Assert.Empty(ManagedConfigWriter.Check(ConfigFormat.LinuxJson, caseDuplicate));
        var payload = new List<KeyValuePair<string, string>> { new("PayloadUUID", "x") };
        Assert.Single(ManagedConfigWriter.Check(ConfigFormat.MobileConfig, payload));
        var surrogate = new List<KeyValuePair<string, string>> { new("a", "\uD800") };
        Assert.Single(ManagedConfigWriter.Check(ConfigFormat.LinuxJson, surrogate));
    }

    internal static void AssertSame(IReadOnlyList<KeyValuePair<string, string>> expected, ManagedConfiguration read, string context)
    {
        var problems = read.ParseDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, context + ": " + string.Join("\n", problems));
        Assert.Equal(expected.Select(v => (v.Key, (string?)v.Value)), read.Entries.Select(e => (e.Key, e.Value)));
    }
}
