using System.Net;
using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;

namespace Basalt.Gateway.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Healthz_answers_and_readyz_reports_breakers_and_credentials_without_secrets()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { Upstreams = 2, BreakerThreshold = 1 });
        using var client = host.Client();

        using var healthy = await client.GetAsync("/healthz");
        using var ready = await client.GetAsync("/readyz");
        var readyJson = await ready.Content.ReadAsStringAsync();
        await host.Emulators[0].DisposeAsync();
        await host.StreamAsync("open the breaker of region0");
        using var after = await client.GetAsync("/readyz");
        var afterJson = JsonNode.Parse(await after.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (string)JsonNode.Parse(readyJson)!["status"]!);
        Assert.DoesNotContain("EXAMPLE", readyJson, StringComparison.Ordinal);
        // One region's breaker is open, but every model still has a route: still ready.
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("open", (string)afterJson["upstreams"]!["region0"]!["breaker"]!);
        Assert.Equal("closed", (string)afterJson["upstreams"]!["region1"]!["breaker"]!);
    }

    [Fact]
    public async Task Head_requests_for_the_connectivity_check_are_answered()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var client = host.Client();

        using var root = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        using var hello = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/hello"));

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
    }
}
