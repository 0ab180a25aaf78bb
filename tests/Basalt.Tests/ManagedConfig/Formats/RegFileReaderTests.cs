using System.Text;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;

namespace Basalt.Tests.ManagedConfig.Formats;

public sealed class RegFileReaderTests
{
    private static byte[] Utf16(string text) => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)];

    private static ManagedConfiguration Read(byte[] bytes) => ManagedConfigReader.Read(bytes, ConfigFormat.Reg, "policy.reg");

    private static ManagedConfiguration Read(string text) => Read(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Reg_file_in_utf16_with_bom_and_crlf_is_read_with_lines_and_hive()
    {
        var read = Read(Utf16(
            "Windows Registry Editor Version 5.00\r\n\r\n; comment\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n" +
            "\"inferenceProvider\"=\"gateway\"\r\n\"inferenceModels\"=\"[\\\"claude-sonnet-4\\\",\\\"claude-opus-4\\\"]\"\r\n" +
            "\"inferenceCredentialHelper\"=\"C:\\\\Program Files\\\\Helper\\\\helper.exe\"\r\n\r\n" +
            "[HKEY_CURRENT_USER\\Software\\Policies\\Claude]\r\n\"disableDeploymentModeChooser\"=\"true\"\r\n"));
        Assert.Empty(read.ParseDiagnostics);
        Assert.Equal(ConfigPlatform.Windows, read.Platform);
        Assert.Equal(
            [
                ("inferenceProvider", "gateway", 5, "HKLM"),
                ("inferenceModels", "[\"claude-sonnet-4\",\"claude-opus-4\"]", 6, "HKLM"),
                ("inferenceCredentialHelper", @"C:\Program Files\Helper\helper.exe", 7, "HKLM"),
                ("disableDeploymentModeChooser", "true", 10, "HKCU"),
            ],
            read.Entries.Select(e => (e.Key, e.Value!, e.Location.Line, e.Location.Scope!)));
        Assert.All(read.Entries, e => Assert.Equal("policy.reg", e.Location.File));
    }

    [Fact]
    public void Utf8_reg_file_with_lf_is_read()
    {
        var read = Read("Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\n\"a\"=\"b\"\n");
        Assert.Empty(read.ParseDiagnostics);
        Assert.Equal("b", Assert.Single(read.Entries).Value);
    }

    [Fact]
    public void Non_string_registry_types_are_reported_as_their_wire_type()
    {
        var read = Read(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n" +
            "\"dw\"=dword:0000000a\r\n" +
            "\"expand\"=hex(2):25,00,41,00,00,00\r\n" +
            "\"multi\"=hex(7):61,00,00,00,00,00\r\n" +
            "\"qword\"=hex(b):01,00,00,00,00,00,00,00\r\n" +
            "\"binary\"=hex:01,02\r\n" +
            "\"sz\"=hex(1):68,00,69,00,0a,00,\\\r\n  74,00,00,00\r\n" +
            "\"dw4\"=hex(4):ff,ff,ff,ff\r\n");
        Assert.Empty(read.ParseDiagnostics);
        Assert.Equal(
            [
                ("dw", "10", WireType.RegDword),
                ("expand", null, WireType.RegExpandSz),
                ("multi", null, WireType.RegMultiSz),
                ("qword", null, WireType.RegQword),
                ("binary", null, WireType.RegBinary),
                ("sz", "hi\nt", WireType.String),
                ("dw4", "4294967295", WireType.RegDword),
            ],
            read.Entries.Select(e => (e.Key, e.Value, e.WireType)));
    }

    [Fact]
    public void Values_in_a_subkey_are_an_error_each_and_are_not_returned()
    {
        var read = Read(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude\\inferenceGatewayOidc]\r\n" +
            "\"clientId\"=\"abc\"\r\n\"issuer\"=\"https://idp\"\r\n");
        Assert.Empty(read.Entries);
        Assert.Equal(2, read.ParseDiagnostics.Count);
        var first = read.ParseDiagnostics[0];
        Assert.Equal((DiagnosticSeverity.Error, FormatDiagnosticCodes.RegSubkey, "clientId", 4, "HKLM"), (first.Severity, first.Code, first.Key, first.Location!.Line, first.Location.Scope));
        Assert.Contains(@"[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude]", first.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_outside_the_policy_key_give_one_warning_per_key()
    {
        var read = Read(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Anthropic\\Claude]\r\n\"a\"=\"1\"\r\n\"b\"=\"2\"\r\n" +
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Policies\\Claude]\r\n\"c\"=\"3\"\r\n");
        Assert.Empty(read.Entries);
        Assert.Equal([3, 6], read.ParseDiagnostics.Select(d => d.Location!.Line));
        Assert.All(read.ParseDiagnostics, d => Assert.Equal(FormatDiagnosticCodes.RegOutsidePolicyKey, d.Code));
    }

    [Fact]
    public void Deletions_apply_in_file_order()
    {
        var read = Read(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"old\"=\"1\"\r\n\"gone\"=\"x\"\r\n" +
            "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"new\"=\"2\"\r\n\"stale\"=-\r\n\"GONE\"=\"y\"\r\n\"gone\"=-\r\n");
        Assert.Empty(read.ParseDiagnostics);
        Assert.Equal(["new"], read.Entries.Select(e => e.Key));
    }

    [Fact]
    public void Duplicate_value_names_differing_in_case_warn_and_the_last_wins()
    {
        var read = Read("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Claude]\r\n\"inferenceProvider\"=\"a\"\r\n\"InferenceProvider\"=\"b\"\r\n");
        Assert.Equal(("InferenceProvider", "b"), (Assert.Single(read.Entries).Key, read.Entries[0].Value));
        var d = Assert.Single(read.ParseDiagnostics);
        Assert.Equal((FormatDiagnosticCodes.RegDuplicateValue, 5), (d.Code, d.Location!.Line));
    }

    [Fact]
    public void Default_value_is_returned_with_an_empty_key_and_a_warning()
    {
        var read = Read("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n@=\"\"\r\n");
        Assert.Equal((string.Empty, string.Empty), (Assert.Single(read.Entries).Key, read.Entries[0].Value));
        Assert.Equal(FormatDiagnosticCodes.RegDefaultValue, Assert.Single(read.ParseDiagnostics).Code);
    }

    [Theory]
    [InlineData("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=\"b\"\r\n", FormatDiagnosticCodes.RegHeader, 1)]
    [InlineData("Windows Registry Editor Version 5.00\r\n\"a\"=\"b\"\r\n", FormatDiagnosticCodes.RegValueOutsideKey, 2)]
    [InlineData("Windows Registry Editor Version 5.00\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=\"unterminated\r\n", FormatDiagnosticCodes.RegSyntax, 3)]
    [InlineData("Windows Registry Editor Version 5.00\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=dword:xyz\r\n", FormatDiagnosticCodes.RegSyntax, 3)]
    [InlineData("Windows Registry Editor Version 5.00\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude\r\n\"a\"=\"b\"\r\n", FormatDiagnosticCodes.RegSyntax, 2)]
    [InlineData("Windows Registry Editor Version 5.00\r\n[HKEY_LOCAL_MACHINES\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=\"b\"\r\n", FormatDiagnosticCodes.RegUnknownHive, 2)]
    [InlineData("Windows Registry Editor Version 5.00\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=\"C:\\Temp\"\r\n", FormatDiagnosticCodes.RegEscape, 3)]
    [InlineData("Windows Registry Editor Version 5.00\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=\"b\" trailing\r\n", FormatDiagnosticCodes.RegSyntax, 3)]
    [InlineData("Windows Registry Editor Version 5.00\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\nnot a value\r\n", FormatDiagnosticCodes.RegSyntax, 3)]
    public void Malformed_lines_give_one_diagnostic_with_the_line(string text, string code, int line)
    {
        var d = Assert.Single(Read(text).ParseDiagnostics);
        Assert.Equal((code, line), (d.Code, d.Location!.Line));
        Assert.False(string.IsNullOrEmpty(d.Fix));
    }

    [Fact]
    public void Wrong_encodings_are_reported_not_guessed()
    {
        var body = "Windows Registry Editor Version 5.00\r\n";
        Assert.Equal(FormatDiagnosticCodes.RegEncoding, Assert.Single(Read([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(body)]).ParseDiagnostics).Code);
        Assert.Equal(FormatDiagnosticCodes.RegEncoding, Assert.Single(Read(Encoding.Unicode.GetBytes(body)).ParseDiagnostics).Code);
        Assert.Equal(FormatDiagnosticCodes.RegEncoding, Assert.Single(Read([0xFF, 0xFE, .. Encoding.Unicode.GetBytes(body), 0x41]).ParseDiagnostics).Code);
        Assert.Equal(FormatDiagnosticCodes.RegEncoding, Assert.Single(Read([.. Encoding.ASCII.GetBytes(body), 0xC3, 0x28]).ParseDiagnostics).Code);
        Assert.Equal(FormatDiagnosticCodes.RegEncoding, Read(Encoding.UTF8.GetBytes(body + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=\"é\"\r\n")).ParseDiagnostics.Single().Code);
    }

    [Fact]
    public void Regedit4_ansi_header_is_accepted()
    {
        var read = Read("REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=\"b\"\r\n");
        Assert.Empty(read.ParseDiagnostics);
        Assert.Single(read.Entries);
    }

    [Fact]
    public void Hkey_users_sid_policy_key_is_a_user_hive()
    {
        var read = Read("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_USERS\\S-1-5-21-1-2-3-1001\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=\"b\"\r\n");
        Assert.Equal("HKCU", Assert.Single(read.Entries).Location.Scope);
    }
}
