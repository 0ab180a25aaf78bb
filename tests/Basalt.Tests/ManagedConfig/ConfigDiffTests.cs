using Basalt.Diagnostics;
using Basalt.ManagedConfig;
using static Basalt.Tests.ManagedConfig.TestConfigs;

namespace Basalt.Tests.ManagedConfig;

public sealed class ConfigDiffTests
{
    [Fact]
    public void Same_meaning_in_different_wire_forms_is_no_difference()
    {
        var json = new ManagedConfiguration(ConfigPlatform.Linux,
        [
            .. With(BedrockConfig).Entries,
            Entry("disableAutoUpdates", "true", WireType.Boolean, "a.json", 20),
            Entry("inferenceCredentialHelperTtlSec", "3600", WireType.Number, "a.json", 21),
            Entry("banner", "{\"text\":\"Hi\",\"enabled\":true}", WireType.NativeObject, "a.json", 22),
        ], []);
        var reg = new ManagedConfiguration(ConfigPlatform.Windows,
        [
            .. BedrockConfig.Select((kv, i) => Entry(kv.Key, kv.Value, WireType.String, "b.reg", i + 3, "HKLM")),
            Entry("disableAutoUpdates", "1", WireType.RegDword, "b.reg", 20, "HKLM"),
            Entry("inferenceCredentialHelperTtlSec", "3600", WireType.String, "b.reg", 21, "HKLM"),
            Entry("banner", "{ \"enabled\": true, \"text\": \"Hi\" }", WireType.String, "b.reg", 22, "HKLM"),
        ], []);
        Assert.Empty(ConfigDiff.Compare(Validate(json), Validate(reg)));
    }

    [Fact]
    public void Changes_additions_removals_and_outcomes_are_listed_with_secrets_hidden()
    {
        var a = Validate(With(BedrockConfig, ("inferenceBedrockServiceTier", "flex")));
        var b = Validate(With(BedrockConfig, ("inferenceBedrockBearerToken", "ABSK-another-secret-value"), ("inferenceBedrockRegion", "eu-west-1"),
            ("inferenceModels", "[\"eu.anthropic.claude-sonnet-4-20250514-v1:0\"]"), ("disableAutoUpdates", "true")));
        var diff = ConfigDiff.Compare(a, b);
        Assert.Contains(diff, d => d.Key == "inferenceBedrockRegion" && d.Kind == ConfigDifferenceKind.Changed && d.Before == "us-west-2" && d.After == "eu-west-1");
        Assert.Contains(diff, d => d.Key == "inferenceBedrockServiceTier" && d.Kind == ConfigDifferenceKind.Removed);
        Assert.Contains(diff, d => d.Key == "disableAutoUpdates" && d.Kind == ConfigDifferenceKind.Added);
        var secret = Assert.Single(diff, d => d.Key == "inferenceBedrockBearerToken");
        Assert.Equal("(secret)", secret.Before);
        Assert.DoesNotContain(diff, d => (d.Before + d.After).Contains("another-secret", StringComparison.Ordinal));

        var broken = Validate(With(BedrockConfig, ("inferenceProvider", null)));
        Assert.Contains(ConfigDiff.Compare(a, broken), d => d.Key == "(thirdPartyMode)" && d.After == "stays out");
    }

    [Fact]
    public void Deprecated_keys_are_ignored_after_the_cutoff_and_read_before_it()
    {
        var cfg = With(BedrockConfig, ("enduserAttribution", "true"));
        var before = Validate(cfg, now: BeforeCutoff);
        var after = Validate(cfg, now: Today);
        Assert.NotNull(before.Effective("enduserAttribution"));
        Assert.Null(after.Effective("enduserAttribution"));
        Assert.Equal(DiagnosticSeverity.Warning, before.WithCode(ConfigDiagnosticCodes.DeprecatedKey).Single().Severity);
        Assert.Equal(DiagnosticSeverity.Error, after.WithCode(ConfigDiagnosticCodes.DeprecatedKey).Single().Severity);
        Assert.Contains("Reads false", after.WithCode(ConfigDiagnosticCodes.DeprecatedKey).Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apps_before_the_deprecation_schedule_keep_reading_old_names_after_the_date()
    {
        var result = Validate(With(BedrockConfig, ("isDxtEnabled", "true")), app: "1.30000.0", now: Today);
        Assert.NotNull(result.Effective("isDxtEnabled"));
        Assert.Equal(DiagnosticSeverity.Info, result.WithCode(ConfigDiagnosticCodes.DeprecatedKey).Single().Severity);
    }

    [Fact]
    public void Cutoff_is_noon_pacific_on_october_7()
    {
        var cfg = With(BedrockConfig, ("isDxtEnabled", "true"));
        Assert.NotNull(Validate(cfg, now: new DateTimeOffset(2026, 10, 7, 18, 59, 0, TimeSpan.Zero)).Effective("isDxtEnabled"));
        Assert.Null(Validate(cfg, now: new DateTimeOffset(2026, 10, 7, 19, 0, 0, TimeSpan.Zero)).Effective("isDxtEnabled"));
    }
}
