using System.Diagnostics;
using Basalt.Credentials.Settings;
using Basalt.Diagnostics;
using Basalt.Testing;

namespace Basalt.Tests.Credentials.Settings;

/// <summary>
/// The credential helper's settings go through the one bounded reader (issue 14, issue 13 item 2): size, depth,
/// node and string limits hold, every breach is a located diagnostic, and the helper never streams a device.
/// </summary>
public sealed class CredentialSettingsHostileInputTests
{
    private const string LimitCode = "BSL0001";

    private static (List<Diagnostic> Diagnostics, CredentialHelperSettings? Settings, long Milliseconds, long Allocated) Parse(string json)
    {
        var diagnostics = new List<Diagnostic>();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var settings = CredentialHelperSettings.Parse(json, "/x/basalt-credential.json", diagnostics);
        return (diagnostics, settings, watch.ElapsedMilliseconds, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Twenty_thousand_levels_of_nesting_stop_at_the_depth_limit_with_a_location()
    {
        var json = "{\"version\":1,\"profiles\":" + new string('[', 20_000) + new string(']', 20_000) + "}";

        var (diagnostics, settings, ms, _) = Parse(json);

        Assert.Null(settings);
        var d = Assert.Single(diagnostics);
        Assert.Equal(LimitCode, d.Code);
        Assert.Contains("nest", d.Message, StringComparison.Ordinal);
        Assert.Equal(("/x/basalt-credential.json", 1), (d.Location!.File, d.Location.Line));
        Assert.True(ms < 2000, $"{ms} ms");
    }

    [Fact]
    public void A_flood_of_values_stops_at_the_node_budget()
    {
        // JSON has no aliases; the expansion budget's counterpart is the node budget.
        var json = "{\"version\":1,\"profiles\":{\"a\":{\"source\":\"aws-profile\",\"profile\":\"p\",\"scopes\":[" + string.Join(',', Enumerable.Repeat("[1,2,3,4,5,6,7,8,9]", 20_000)) + "]}}}";

        var (diagnostics, settings, ms, allocated) = Parse(json);

        Assert.Null(settings);
        Assert.Equal(LimitCode, Assert.Single(diagnostics).Code);
        Assert.True(ms < 2000, $"{ms} ms");
        Assert.True(allocated < 200_000_000, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void An_oversized_settings_file_is_refused_before_it_is_read()
    {
        using var dir = new TempDirectory("cred-hostile");
        var path = dir.Write("basalt-credential.json", "{\"version\":1,\"x\":\"" + new string('x', 5 * 1024 * 1024) + "\"}");
        var diagnostics = new List<Diagnostic>();
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Null(CredentialHelperSettings.Load(path, diagnostics));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2_000_000, "the file was read");
        var d = Assert.Single(diagnostics);
        Assert.Equal(LimitCode, d.Code);
        Assert.Equal(path, d.Location!.File);
    }

    [Fact]
    public void A_device_as_the_settings_file_is_refused_not_streamed()
    {
        var diagnostics = new List<Diagnostic>();

        Assert.Null(CredentialHelperSettings.Load("/dev/zero", diagnostics));

        var d = Assert.Single(diagnostics);
        Assert.Equal(CredentialDiagnosticCodes.Unreadable, d.Code);
        Assert.Contains("not a regular file", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_profile_name_is_an_error_at_its_line()
    {
        var (diagnostics, settings, _, _) = Parse("{\"version\":1,\"profiles\":{\n\"a\":{\"source\":\"bedrock-api-key\",\"apiKey\":\"k\"},\n\"a\":{\"source\":\"bedrock-api-key\",\"apiKey\":\"other\"}}}");

        Assert.Null(settings);
        var d = Assert.Single(diagnostics);
        Assert.Equal((CredentialDiagnosticCodes.NotJson, 3), (d.Code, d.Location!.Line));
    }

    [Fact]
    public void A_number_where_a_string_belongs_is_refused_so_an_account_id_cannot_lose_its_leading_zero()
    {
        var (diagnostics, settings, _, _) = Parse("""{"version":1,"profiles":{"a":{"source":"identity-center","startUrl":"https://x.awsapps.com/start","ssoRegion":"us-east-1","accountId":12345678901,"roleName":"R"}}}""");

        Assert.Null(settings);
        var d = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal((CredentialDiagnosticCodes.WrongType, "profiles.a.accountId"), (d.Code, d.Key));
    }

    [Fact]
    public void Invalid_utf8_is_an_encoding_error_with_its_line()
    {
        using var dir = new TempDirectory("cred-hostile");
        var path = dir.Combine("basalt-credential.json");
        File.WriteAllBytes(path, [.. "{\"version\":1,\n\"profiles\":{\"a\":{\"source\":\"bedrock-api-key\",\"apiKey\":\""u8, 0xFF, .. "\"}}}"u8]);
        var diagnostics = new List<Diagnostic>();

        Assert.Null(CredentialHelperSettings.Load(path, diagnostics));

        Assert.Equal(("BSL0002", 2), (Assert.Single(diagnostics).Code, diagnostics[0].Location!.Line));
    }
}
