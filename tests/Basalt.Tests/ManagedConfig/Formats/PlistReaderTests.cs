using Basalt.Diagnostics;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;
using Basalt.Testing;

namespace Basalt.Tests.ManagedConfig.Formats;

public sealed class PlistReaderTests
{
    private const string Head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n";

    private static ManagedConfiguration Read(string text, ConfigFormat format = ConfigFormat.Plist) => ManagedConfigReader.Read(text, format, "prefs.plist");

    [Fact]
    public void Plain_plist_keys_carry_the_domain_and_the_line_of_their_key()
    {
        var read = Read(Head + "<dict>\n\t<key>inferenceProvider</key>\n\t<string>vertex</string>\n\t<key>inferenceModels</key>\n\t<array>\n\t\t<string>claude-sonnet-4</string>\n\t\t<dict><key>name</key><string>opus</string><key>supports1m</key><true/></dict>\n\t</array>\n" +
            "\t<key>banner</key>\n\t<dict><key>enabled</key><true/><key>text</key><string>Hi &amp; &lt;bye&gt;</string></dict>\n\t<key>n</key><integer>42</integer>\n\t<key>r</key><real>1.25</real>\n\t<key>b</key><false/>\n\t<key>d</key><data>AAE=</data>\n</dict>\n</plist>\n");
        Assert.Empty(read.ParseDiagnostics);
        Assert.Equal(ConfigPlatform.MacOS, read.Platform);
        Assert.Equal(
            [
                ("inferenceProvider", "vertex", WireType.String, 5),
                ("inferenceModels", """["claude-sonnet-4",{"name":"opus","supports1m":true}]""", WireType.NativeArray, 7),
                ("banner", """{"enabled":true,"text":"Hi & <bye>"}""", WireType.NativeObject, 12),
                ("n", "42", WireType.Number, 14),
                ("r", "1.25", WireType.Number, 15),
                ("b", "false", WireType.Boolean, 16),
                ("d", null, WireType.Other, 17),
            ],
            read.Entries.Select(e => (e.Key, e.Value, e.WireType, e.Location.Line)));
        Assert.All(read.Entries, e => Assert.Equal(ManagedConfigReader.PreferenceDomain, e.Location.Scope));
    }

    [Fact]
    public void Managed_client_preferences_profile_is_read_from_forced_mcx_settings()
    {
        var read = Read(Head + "<dict><key>PayloadType</key><string>Configuration</string><key>PayloadContent</key><array><dict>\n" +
            "<key>PayloadType</key><string>com.apple.ManagedClient.preferences</string><key>PayloadContent</key><dict>\n" +
            "<key>com.anthropic.claudefordesktop</key><dict><key>Forced</key><array><dict><key>mcx_preference_settings</key><dict>\n" +
            "<key>inferenceProvider</key><string>bedrock</string>\n</dict></dict></array></dict>\n" +
            "<key>com.other.app</key><dict/>\n</dict></dict></array></dict></plist>", ConfigFormat.MobileConfig);
        Assert.Empty(read.ParseDiagnostics);
        var entry = Assert.Single(read.Entries);
        Assert.Equal(("inferenceProvider", "bedrock", 7), (entry.Key, entry.Value, entry.Location.Line));
    }

    [Fact]
    public void Keys_nested_under_payload_content_in_a_custom_payload_are_reported_at_the_wrong_level()
    {
        var read = Read(Head + "<dict><key>PayloadType</key><string>Configuration</string><key>PayloadContent</key><array><dict>\n" +
            "<key>PayloadType</key><string>com.anthropic.claudefordesktop</string>\n<key>PayloadContent</key><dict><key>inferenceProvider</key><string>x</string></dict>\n" +
            "</dict></array></dict></plist>", ConfigFormat.MobileConfig);
        Assert.Empty(read.Entries);
        var d = Assert.Single(read.ParseDiagnostics);
        Assert.Equal((DiagnosticSeverity.Error, FormatDiagnosticCodes.PlistWrongLevel, 6), (d.Severity, d.Code, d.Location!.Line));
    }

    [Fact]
    public void Domain_wrapper_in_a_plain_plist_is_reported_at_the_wrong_level()
    {
        var read = Read(Head + "<dict>\n<key>com.anthropic.claudefordesktop</key>\n<dict><key>inferenceProvider</key><string>x</string></dict>\n</dict></plist>");
        Assert.Empty(read.Entries);
        Assert.Equal((FormatDiagnosticCodes.PlistWrongLevel, 5), (read.ParseDiagnostics.Single().Code, read.ParseDiagnostics.Single().Location!.Line));
    }

    [Fact]
    public void Profile_for_a_misspelled_domain_warns_and_reads_nothing()
    {
        var read = Read(Head + "<dict><key>PayloadType</key><string>Configuration</string><key>PayloadContent</key><array><dict>\n" +
            "<key>PayloadType</key><string>com.anthropic.claude</string><key>inferenceProvider</key><string>x</string></dict></array></dict></plist>", ConfigFormat.MobileConfig);
        Assert.Empty(read.Entries);
        Assert.Equal([FormatDiagnosticCodes.ProfileOtherDomain, FormatDiagnosticCodes.ProfileNoClaudePayload], read.ParseDiagnostics.Select(d => d.Code));
    }

    [Fact]
    public void A_plain_plist_named_mobileconfig_is_not_an_installable_profile()
    {
        var read = Read(Head + "<dict><key>inferenceProvider</key><string>x</string></dict></plist>", ConfigFormat.MobileConfig);
        Assert.Equal(FormatDiagnosticCodes.ProfileStructure, Assert.Single(read.ParseDiagnostics).Code);
    }

    [Theory]
    [InlineData("<dict><key>a</key><string>b</dict></plist>", FormatDiagnosticCodes.XmlSyntax, 4)]
    [InlineData("<dict><key>a</key><string>b &amp c</string></dict></plist>", FormatDiagnosticCodes.XmlSyntax, 4)]
    [InlineData("<dict>\n<key>a</key>\n</dict></plist>", FormatDiagnosticCodes.PlistStructure, 5)]
    [InlineData("<dict>\n<key>a</key><integer>abc</integer></dict></plist>", FormatDiagnosticCodes.PlistBadScalar, 5)]
    [InlineData("<array><string>a</string></array></plist>", FormatDiagnosticCodes.PlistNotDict, 4)]
    [InlineData("<dict><key>a</key><str>b</str></dict></plist>", FormatDiagnosticCodes.PlistStructure, 4)]
    [InlineData("<dict>\n<key>a</key><string>1</string>\n<key>a</key><string>2</string></dict></plist>", FormatDiagnosticCodes.PlistDuplicateKey, 6)]
    public void Malformed_plists_give_one_diagnostic_with_the_line(string body, string code, int line)
    {
        var d = Assert.Single(Read(Head + body).ParseDiagnostics);
        Assert.Equal((code, line), (d.Code, d.Location!.Line));
        Assert.False(string.IsNullOrEmpty(d.Fix));
    }

    [Fact]
    public void External_entities_are_never_resolved()
    {
        using var dir = new TempDirectory("h2-xxe");
        var secret = dir.Write("secret.txt", "TOPSECRET");
        var read = Read($"<?xml version=\"1.0\"?>\n<!DOCTYPE plist [<!ENTITY x SYSTEM \"file://{secret}\">]>\n<plist><dict><key>a</key><string>&x;</string></dict></plist>");
        Assert.DoesNotContain(read.Entries, e => e.Value?.Contains("TOPSECRET", StringComparison.Ordinal) == true);
        Assert.Contains(read.ParseDiagnostics, d => d.Code == FormatDiagnosticCodes.XmlSyntax);
    }

    [Fact]
    public async Task Signed_profile_content_is_read_and_the_unverified_signature_is_noted()
    {
        using var dir = new TempDirectory("h2-signed");
        var values = new List<KeyValuePair<string, string>> { new("inferenceProvider", "bedrock"), new("inferenceBedrockRegion", "us-east-1") };
        var profile = dir.Write("p.mobileconfig", ManagedConfigWriter.Write(ConfigFormat.MobileConfig, values));
        var key = dir.Combine("key.pem");
        var cert = dir.Combine("cert.pem");
        var signed = dir.Combine("signed.mobileconfig");
        const string Hint = "apt-get install -y openssl";
        await FormatTools.RunAsync("openssl", Hint, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=Basalt test", "-days", "1");
        await FormatTools.RunAsync("openssl", Hint, "smime", "-sign", "-nodetach", "-in", profile, "-out", signed, "-outform", "der", "-signer", cert, "-inkey", key, "-binary");

        var read = ManagedConfigReader.ReadFile(signed);
        Assert.Equal(values.Select(v => (v.Key, (string?)v.Value)), read.Entries.Select(e => (e.Key, e.Value)));
        var d = Assert.Single(read.ParseDiagnostics);
        Assert.Equal((DiagnosticSeverity.Info, FormatDiagnosticCodes.SignedProfile), (d.Severity, d.Code));
    }
}
