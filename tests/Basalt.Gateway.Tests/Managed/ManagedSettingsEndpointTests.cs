using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;

namespace Basalt.Gateway.Tests.Managed;

/// <summary>
/// <c>GET /managed/settings</c> (issue 9 item 6, gateway.md §3): each group's Claude Code managed settings from the
/// configuration, to an authenticated caller of that group only, in the wrapper Claude Code reads
/// (<c>{"uuid","checksum","settings"}</c>), with the checksum as ETag so that the client's poll is a 304 when unchanged.
/// </summary>
public sealed class ManagedSettingsEndpointTests
{
    private const string Settings = """{"env":{"ANTHROPIC_BASE_URL":"https://llm.acme.example","DISABLE_TELEMETRY":"1"},"permissions":{"deny":["WebFetch"]}}""";

    private static Task<GatewayTestHost> StartAsync()
    {
        var options = new GatewayTestOptions();
        return GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            GatewayYaml = emulators => GatewayTestHost.GatewayYaml(emulators, options).Replace(
                "    engineering: { models: [\"*\"] }",
                $"    engineering: {{ models: [\"*\"], managedSettings: {Settings} }}",
                StringComparison.Ordinal),
        });
    }

    [Fact]
    public async Task A_caller_gets_its_groups_settings_in_Claude_Codes_wrapper_and_its_checksum_as_If_None_Match_gets_304()
    {
        await using var host = await StartAsync();
        using var client = host.Client(host.AliceKey);

        using var first = await client.GetAsync("/managed/settings");
        var body = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Settings), body["settings"]), body.ToJsonString());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", (string)body["uuid"]!);

        // The checksum Claude Code computes over the settings it holds: keys sorted at every level, no whitespace.
        const string Sorted = """{"env":{"ANTHROPIC_BASE_URL":"https://llm.acme.example","DISABLE_TELEMETRY":"1"},"permissions":{"deny":["WebFetch"]}}""";
        var checksum = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sorted)));
        Assert.Equal(checksum, (string?)body["checksum"]);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal($"\"{checksum}\"", etag.Tag);
        Assert.Contains("private", first.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/managed/settings");
        again.Headers.TryAddWithoutValidation("If-None-Match", $"\"{checksum}\"");
        using var second = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/managed/settings");
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"sha256:0000\"");
        using var third = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    /// <summary>
    /// Claude Desktop asks with <c>If-None-Match: *</c> only whether settings exist; the client contract says to answer
    /// as without the header (a 304 would claim "settings that must not be missing").
    /// </summary>
    [Fact]
    public async Task If_None_Match_star_is_answered_as_without_the_header()
    {
        await using var host = await StartAsync();
        using var client = host.Client(host.AliceKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/managed/settings");
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["settings"]);
    }

    [Fact]
    public async Task A_caller_whose_groups_have_no_settings_gets_404_not_another_groups()
    {
        await using var host = await StartAsync();
        using var client = host.Client(host.BobKey);

        using var response = await client.GetAsync("/managed/settings");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not_found_error", body, StringComparison.Ordinal);
        Assert.DoesNotContain("WebFetch", body, StringComparison.Ordinal);
    }

    /// <summary>What JavaScript prints for the client's checksum: array-index keys first, JSON.stringify escapes and numbers.</summary>
    [Theory]
    [InlineData("""{"b":1,"a":{"d":[3,{"z":true,"y":null}],"c":"x"}}""", """{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}""")]
    [InlineData("""{"10":"ten","2":"two","a":"a","02":"lead"}""", """{"2":"two","10":"ten","02":"lead","a":"a"}""")]
    [InlineData("""{"n":[1.0,1e21,1e-7,0.000001,-0,123456789012345680000,2.5E+3]}""", """{"n":[1,1e+21,1e-7,0.000001,0,123456789012345680000,2500]}""")]
    [InlineData("""{"s":"é\u0001\"\\\n/<&\u2028"}""", "{\"s\":\"é\\u0001\\\"\\\\\\n/<&\u2028\"}")]
    public void Canonical_settings_text_is_what_JavaScript_prints_after_sorting_keys(string settings, string expected)
    {
        using var parsed = System.Text.Json.JsonDocument.Parse(settings);
        var text = new StringBuilder();
        Basalt.Gateway.Managed.ManagedSettingsDocument.Canonical(parsed.RootElement, text);
        Assert.Equal(expected, text.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bsk_not_a_key_of_this_gateway")]
    public async Task Without_a_valid_credential_the_settings_are_refused_with_401(string? key)
    {
        await using var host = await StartAsync();
        using var client = host.Client(key);

        using var response = await client.GetAsync("/managed/settings");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("authentication_error", body, StringComparison.Ordinal);
        Assert.DoesNotContain("WebFetch", body, StringComparison.Ordinal);
    }
}
