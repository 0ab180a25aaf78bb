using Basalt.Diagnostics;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;

namespace Basalt.Tests.ManagedConfig.Formats;

public sealed class JsonConfigReaderTests
{
    [Fact]
    public void Linux_managed_file_keeps_lines_columns_and_native_json()
    {
        var read = ManagedConfigReader.Read(
            "{\n  \"inferenceProvider\": \"gateway\",\n  \"inferenceModels\": [\"a\", {\"name\": \"b\"}],\n  \"autoUpdaterEnforcementHours\": 24,\n    \"disableAutoUpdates\": true,\n  \"x\": null,\n  \"otlpHeaders\": {\"k\": \"v\"}\n}\n",
            ConfigFormat.LinuxJson, "/etc/claude-desktop/managed-settings.json");
        Assert.Empty(read.ParseDiagnostics);
        Assert.Equal(ConfigPlatform.Linux, read.Platform);
        Assert.Equal(
            [
                ("inferenceProvider", "gateway", WireType.String, 2, 3),
                ("inferenceModels", "[\"a\", {\"name\": \"b\"}]", WireType.NativeArray, 3, 3),
                ("autoUpdaterEnforcementHours", "24", WireType.Number, 4, 3),
                ("disableAutoUpdates", "true", WireType.Boolean, 5, 5),
                ("x", null, WireType.Null, 6, 3),
                ("otlpHeaders", "{\"k\": \"v\"}", WireType.NativeObject, 7, 3),
            ],
            read.Entries.Select(e => (e.Key, e.Value, e.WireType, e.Location.Line, e.Location.Column)));
    }

    [Theory]
    [InlineData("{\"a\": \"b\",}", 1)]
    [InlineData("{\n// comment\n\"a\": 1}", 2)]
    [InlineData("{\n\"a\": \"b\"\n\"c\": 1}", 3)]
    [InlineData("{\"a\": \"b\"", 1)]
    [InlineData("{\"a\": \"b\"} {}", 1)]
    [InlineData("{'a': 1}", 1)]
    public void Syntax_errors_give_one_diagnostic_at_the_line_and_no_entries(string text, int line)
    {
        var read = ManagedConfigReader.Read(text, ConfigFormat.LinuxJson, "m.json");
        Assert.Empty(read.Entries);
        var d = Assert.Single(read.ParseDiagnostics);
        Assert.Equal((DiagnosticSeverity.Error, FormatDiagnosticCodes.JsonSyntax, line), (d.Severity, d.Code, d.Location!.Line));
    }

    [Fact]
    public void Enterprise_config_wrapper_in_the_managed_file_is_an_error_but_is_the_legacy_local_layout()
    {
        const string Text = "{\"enterpriseConfig\": {\"inferenceProvider\": \"vertex\"}, \"mcpServers\": {}}";
        var managed = ManagedConfigReader.Read(Text, ConfigFormat.LinuxJson, "managed-settings.json");
        Assert.Equal(FormatDiagnosticCodes.JsonWrongLevel, Assert.Single(managed.ParseDiagnostics).Code);
        Assert.DoesNotContain(managed.Entries, e => e.Key == "inferenceProvider");

        var legacy = ManagedConfigReader.Read(Text, ConfigFormat.ConfigLibrary, "/Users/a/Library/Application Support/Claude-3p/claude_desktop_config.json");
        Assert.Empty(legacy.ParseDiagnostics);
        var entry = Assert.Single(legacy.Entries);
        Assert.Equal(("inferenceProvider", "vertex", JsonConfigReader.LegacyWrapper), (entry.Key, entry.Value, entry.Location.Scope));
    }

    [Fact]
    public void Non_object_bom_duplicates_and_bad_utf8_are_diagnosed()
    {
        Assert.Equal(FormatDiagnosticCodes.JsonNotObject, ManagedConfigReader.Read("[1]", ConfigFormat.LinuxJson, "m").ParseDiagnostics.Single().Code);
        var bom = ManagedConfigReader.Read([0xEF, 0xBB, 0xBF, .. "{\"a\":\"b\"}"u8], ConfigFormat.LinuxJson, "m");
        Assert.Equal((FormatDiagnosticCodes.JsonByteOrderMark, 1), (bom.ParseDiagnostics.Single().Code, bom.Entries.Count));
        var dup = ManagedConfigReader.Read("{\"a\":\"1\",\n\"a\":\"2\"}", ConfigFormat.LinuxJson, "m");
        Assert.Equal((FormatDiagnosticCodes.JsonDuplicateKey, 2, "2"), (dup.ParseDiagnostics.Single().Code, dup.ParseDiagnostics.Single().Location!.Line, dup.Entries.Single().Value));
        var utf8 = ManagedConfigReader.Read([.. "{\"a\":\n\""u8, 0xFF, .. "\"}"u8], ConfigFormat.LinuxJson, "m");
        Assert.Equal((FormatDiagnosticCodes.JsonEncoding, 2), (utf8.ParseDiagnostics.Single().Code, utf8.ParseDiagnostics.Single().Location!.Line));
        Assert.Equal(FormatDiagnosticCodes.Empty, ManagedConfigReader.Read(" \n", ConfigFormat.LinuxJson, "m").ParseDiagnostics.Single().Code);
    }
}
