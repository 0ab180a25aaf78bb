using System.Net;
using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;

namespace Basalt.Gateway.Tests.Managed;

/// <summary>
/// <c>GET /managed/settings</c> (issue 9 item 6, gateway.md §3): each group's Claude Code managed settings from the
/// configuration, to an authenticated caller of that group only, with an ETag that makes an unchanged poll a 304.
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
    public async Task A_caller_gets_its_groups_settings_with_an_etag_and_the_same_etag_gets_304_without_a_body()
    {
        await using var host = await StartAsync();
        using var client = host.Client(host.AliceKey);

        using var first = await client.GetAsync("/managed/settings");
        var body = await first.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Settings), JsonNode.Parse(body)), body);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Contains("private", first.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/managed/settings");
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/managed/settings");
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"0000\"");
        using var third = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task A_caller_whose_groups_have_no_settings_gets_an_empty_object_not_another_groups()
    {
        await using var host = await StartAsync();
        using var client = host.Client(host.BobKey);

        using var response = await client.GetAsync("/managed/settings");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.ETag);
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
