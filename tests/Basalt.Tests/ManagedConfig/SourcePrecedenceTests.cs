using Basalt.Diagnostics;
using Basalt.ManagedConfig;
using static Basalt.Tests.ManagedConfig.TestConfigs;
using C = Basalt.ManagedConfig.ConfigDiagnosticCodes;

namespace Basalt.Tests.ManagedConfig;

public sealed class SourcePrecedenceTests
{
    private const string Hklm = @"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude";
    private const string Hkcu = @"HKEY_CURRENT_USER\SOFTWARE\Policies\Claude";

    private static ManagedConfiguration Windows(params ConfigEntry[] entries) => new(ConfigPlatform.Windows, entries, []);

    private static ConfigEntry[] HkcuBedrock() =>
    [
        .. BedrockConfig.Select((kv, i) => Entry(kv.Key, kv.Value, WireType.String, "user.reg", i + 3, Hkcu)),
    ];

    [Fact]
    public void From_1_19367_machine_policy_hides_the_user_hive_entirely()
    {
        var cfg = Windows([Entry("disableAutoUpdates", "true", WireType.String, "machine.reg", 3, Hklm), .. HkcuBedrock()]);
        var result = Validate(cfg, "1.19367.0");
        Assert.Single(result.EffectiveEntries);
        Assert.All(result.IgnoredEntries, i => Assert.Equal(C.HkcuShadowedByHklm, i.Code));
        Assert.True(result.Has(C.HkcuShadowedByHklm));
        Assert.True(result.Has(C.SplitAcrossHives));
        Assert.False(result.EntersThirdPartyMode);
        Assert.Contains(result.NotThirdPartyReasons, r => r.Contains("HKCU", StringComparison.Ordinal));
        Assert.Contains(result.AppliedRules, r => r.Contains("ignored completely", StringComparison.Ordinal));
    }

    [Fact]
    public void Before_1_19367_hives_merge_and_machine_wins_on_a_clash()
    {
        var cfg = Windows([Entry("inferenceBedrockRegion", "eu-west-1", WireType.String, "machine.reg", 3, Hklm), .. HkcuBedrock()]);
        var result = Validate(cfg, "1.19000.0");
        Assert.Equal("eu-west-1", result.Effective("inferenceBedrockRegion")!.Value);
        Assert.Equal("bedrock", result.Effective("inferenceProvider")!.Value);
        Assert.True(result.Has(C.HivesMerged));
        Assert.False(result.Has(C.HkcuShadowedByHklm));
        Assert.True(result.EntersThirdPartyMode, string.Join("; ", result.NotThirdPartyReasons));
    }

    [Fact]
    public void Empty_machine_string_and_expand_sz_count_as_machine_policy()
    {
        var empty = Validate(Windows([Entry("somethingMisspelled", "", WireType.String, "m.reg", 3, Hklm), .. HkcuBedrock()]));
        Assert.True(empty.Has(C.HkcuShadowedByHklm));
        var expand = Validate(Windows([Entry("inferenceBedrockRegion", "%REGION%", WireType.RegExpandSz, "m.reg", 3, Hklm), .. HkcuBedrock()]));
        Assert.True(expand.Has(C.HkcuShadowedByHklm));
        Assert.True(expand.Has(C.RegExpandSz));
        Assert.True(expand.Has(C.ManagedUnreadable));
    }

    [Fact]
    public void Only_user_hive_is_used_when_machine_policy_is_absent()
    {
        var result = Validate(Windows(HkcuBedrock()));
        Assert.True(result.EntersThirdPartyMode, result.Dump());
        Assert.False(result.Has(C.HkcuShadowedByHklm));
    }

    [Theory]
    [InlineData(WireType.RegQword)]
    [InlineData(WireType.RegMultiSz)]
    [InlineData(WireType.RegBinary)]
    public void Invisible_registry_types_are_errors_and_ignored(WireType type)
    {
        var result = Validate(Windows([.. HkcuBedrock(), Entry("disableAutoUpdates", "1", type, "u.reg", 20, Hkcu)]));
        Assert.Single(result.WithCode(C.InvisibleRegistryType), d => d.IsError && d.Key == "disableAutoUpdates");
        Assert.Null(result.Effective("disableAutoUpdates"));
    }

    [Fact]
    public void Reg_dword_is_fine_for_booleans_and_integers_and_flagged_for_text()
    {
        var ok = Validate(Windows([.. HkcuBedrock(), Entry("disableAutoUpdates", "1", WireType.RegDword, "u.reg", 20, Hkcu), Entry("inferenceCredentialHelperTtlSec", "3600", WireType.RegDword, "u.reg", 21, Hkcu)]));
        Assert.False(ok.Has(C.RegDwordForText));
        Assert.False(ok.HasErrors, ok.Dump());
        var bad = Validate(Windows([.. HkcuBedrock(), Entry("inferenceBedrockProfile", "1", WireType.RegDword, "u.reg", 20, Hkcu)]));
        Assert.True(bad.Has(C.RegDwordForText));
    }

    [Fact]
    public void Managed_source_makes_the_local_store_ignored()
    {
        var entries = new List<ConfigEntry> { Entry("disableAutoUpdates", "true", WireType.String, "/etc/claude-desktop/managed-settings.json", 2) };
        entries.AddRange(BedrockConfig.Select((kv, i) => Entry(kv.Key, kv.Value, WireType.String, "/home/u/.config/Claude-3p/configLibrary/abc.json", i + 2)));
        entries.Add(Entry("deploymentDisplayName", "Acme", WireType.String, "/etc/claude-desktop/managed-settings.json", 3));
        var result = Validate(new ManagedConfiguration(ConfigPlatform.Linux, entries, []));
        Assert.True(result.Has(C.LocalIgnored));
        Assert.Null(result.Effective("inferenceProvider"));
        Assert.False(result.EntersThirdPartyMode);
        Assert.Contains(result.NotThirdPartyReasons, r => r.Contains("local store", StringComparison.Ordinal));
    }

    [Fact]
    public void Update_keys_only_managed_source_leaves_local_keys_in_effect()
    {
        var entries = new List<ConfigEntry> { Entry("disableAutoUpdates", "true", WireType.String, "/etc/claude-desktop/managed-settings.json", 2) };
        entries.AddRange(BedrockConfig.Select((kv, i) => Entry(kv.Key, kv.Value, WireType.String, "/home/u/.config/Claude-3p/configLibrary/abc.json", i + 2)));
        entries.Add(Entry("disableAutoUpdates", "false", WireType.String, "/home/u/.config/Claude-3p/configLibrary/abc.json", 30));
        var result = Validate(new ManagedConfiguration(ConfigPlatform.Linux, entries, []));
        Assert.True(result.Has(C.UpdateKeysOnlyManaged));
        Assert.Equal("bedrock", result.Effective("inferenceProvider")!.Value);
        Assert.Equal("true", result.Effective("disableAutoUpdates")!.Value);
        Assert.True(result.EntersThirdPartyMode, result.Dump());
    }

    [Fact]
    public void Mac_per_user_plist_wins_over_the_machine_plist()
    {
        var machine = "/Library/Managed Preferences/com.anthropic.claudefordesktop.plist";
        var user = "/Library/Managed Preferences/alice/com.anthropic.claudefordesktop.plist";
        var entries = BedrockConfig.Select((kv, i) => Entry(kv.Key, kv.Value, WireType.String, machine, i + 5)).ToList();
        entries.Insert(0, Entry("inferenceBedrockRegion", "eu-central-1", WireType.String, user, 5));
        var result = Validate(new ManagedConfiguration(ConfigPlatform.MacOS, entries, []));
        Assert.Equal("eu-central-1", result.Effective("inferenceBedrockRegion")!.Value);
        Assert.True(result.Has(C.PerUserOverridesMachine));
    }

    [Fact]
    public void Native_plist_containers_warn_on_macos_but_not_in_linux_json()
    {
        var models = Entry("inferenceModels", "[\"us.anthropic.claude-sonnet-4-20250514-v1:0\"]", WireType.NativeArray, "x.plist", 9);
        var mac = Validate(new ManagedConfiguration(ConfigPlatform.MacOS, [.. With(BedrockConfig, ("inferenceModels", null)).Entries, models], []));
        Assert.True(mac.Has(C.NativeContainer));
        var linux = Validate(new ManagedConfiguration(ConfigPlatform.Linux, [.. With(BedrockConfig, ("inferenceModels", null)).Entries, models], []));
        Assert.False(linux.Has(C.NativeContainer));
        Assert.False(linux.HasErrors, linux.Dump());
    }

    [Fact]
    public void Null_and_plist_data_values_are_reported()
    {
        var result = Validate(new ManagedConfiguration(ConfigPlatform.MacOS,
            [.. With(BedrockConfig).Entries, Entry("deploymentDisplayName", null, WireType.Null, "x.plist", 20), Entry("banner", "AAAA", WireType.Other, "x.plist", 21)], []));
        Assert.True(result.Has(C.NullValue));
        Assert.Single(result.WithCode(C.UnreadableWireType), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Parse_diagnostics_of_the_sources_come_first()
    {
        var parse = new Diagnostic(DiagnosticSeverity.Error, "BSL2010", "Invalid JSON", null, new SourceLocation("x.json", 4));
        var cfg = new ManagedConfiguration(ConfigPlatform.Linux, With(BedrockConfig).Entries, [parse]);
        Assert.Same(parse, Validate(cfg).Diagnostics[0]);
    }
}
