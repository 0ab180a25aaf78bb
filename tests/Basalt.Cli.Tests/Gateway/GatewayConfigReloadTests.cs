using System.Text.Json.Nodes;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// Issue 11 item 2, with a real <c>basalt gateway serve</c> process: SIGHUP swaps in API keys, routing aliases and
/// rate limits without a restart, names the changed parts that need one, and shows the result in <c>/readyz</c>; a
/// file with errors keeps the whole running configuration and says why with a <c>file:line:column</c> diagnostic.
/// </summary>
public sealed class GatewayConfigReloadTests
{
    private const string BobKeyLine = "    - { id: bob-laptop, user: bob, groups: [engineering], key: \"${env:BOB_KEY}\" }";
    private const string QuickAlias = "      aliases: [haiku, quick]";
    private const string BobLimit = "  usage:\n    rateLimits:\n      - { scope: user, value: bob, requestsPerMinute: 1 }";

    private static async Task<JsonObject> ReadyzAsync(ServedGateway gateway)
    {
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };
        return JsonNode.Parse(await client.GetStringAsync("/readyz"))!.AsObject();
    }

    [Fact]
    public async Task Sighup_swaps_keys_routing_and_rate_limits_atomically_and_a_bad_file_keeps_the_running_configuration()
    {
        await using var emulator = await ServedGateway.StartEmulatorAsync();
        using var dir = new TempDirectory("cli-gateway-config-reload");
        var (alice, bob) = ("bsk_alice_reload_0123456789abcdef", "bsk_bob_reload_0123456789abcdef0");
        var environment = ServedGateway.Environment(alice);
        environment["BOB_KEY"] = bob;
        var config = dir.Write("gateway.yaml", ServedGateway.Config(emulator));
        await using var gateway = await ServedGateway.StartAsync(config, environment);
        using var asAlice = gateway.Client(alice);
        using var asBob = gateway.Client(bob);

        using (var before = await asBob.PostAsync("/v1/messages", ServedGateway.Message("hello", stream: false)))
        {
            Assert.Equal(401, (int)before.StatusCode);
        }

        using (var before = await asAlice.PostAsync("/v1/messages", ServedGateway.Message("hello", stream: false, model: "quick")))
        {
            Assert.NotEqual(200, (int)before.StatusCode);
        }

        // Bob's key, the alias 'quick', a rate limit for bob; and a changed drain limit, which only a restart applies.
        var next = ServedGateway.Config(emulator, extraKeys: BobKeyLine, drainSeconds: 21, usage: BobLimit).Replace("      aliases: [haiku]", QuickAlias, StringComparison.Ordinal);
        dir.Write("gateway.yaml", next);
        gateway.Signal(ServedGateway.Sighup);
        var applied = gateway.WaitFor("reloaded");

        Assert.Contains("configuration reloaded", applied, StringComparison.Ordinal);
        Assert.Contains("2 API key(s)", applied, StringComparison.Ordinal);
        Assert.Contains("1 rate limit(s)", applied, StringComparison.Ordinal);
        Assert.Contains("kept as running until a restart: limits", applied, StringComparison.Ordinal);
        Assert.Contains("Never reloaded (restart to change): listen, TLS certificates, upstreams", applied, StringComparison.Ordinal);
        using (var first = await asBob.PostAsync("/v1/messages", ServedGateway.Message("hello from bob", stream: false, model: "quick")))
        {
            Assert.Equal(200, (int)first.StatusCode);
        }

        // One request per minute: of the next two, at least one shares the first one's minute window and is refused
        // (two can straddle a minute boundary; three cannot, well within a minute).
        var statuses = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            using var again = await asBob.PostAsync("/v1/messages", ServedGateway.Message($"again {i}", stream: false));
            statuses.Add((int)again.StatusCode);
        }

        Assert.Contains(429, statuses);

        var ready = await ReadyzAsync(gateway);
        Assert.Equal("applied", (string)ready["reload"]!["status"]!);

        // Broken: a route to an upstream that does not exist. Nothing of this file applies, not even its valid parts.
        var broken = ServedGateway.Config(emulator, drainSeconds: 21).Replace("- { upstream: east,", "- { upstream: west,", StringComparison.Ordinal);
        var line = broken.Split('\n').ToList().FindIndex(l => l.Contains("upstream: west", StringComparison.Ordinal)) + 1;
        dir.Write("gateway.yaml", broken);
        gateway.Signal(ServedGateway.Sighup);
        var rejected = gateway.WaitFor("reloaded");

        Assert.Contains("not reloaded", rejected, StringComparison.Ordinal);
        Assert.Contains($"gateway.yaml:{line}:", rejected, StringComparison.Ordinal);
        Assert.Matches($@"gateway\.yaml:{line}:\d+: error BSL\d+", gateway.Stderr);
        using (var stillBob = await asBob.GetAsync("/v1/models"))
        {
            Assert.Equal(200, (int)stillBob.StatusCode);
        }

        using (var stillQuick = await asAlice.PostAsync("/v1/messages", ServedGateway.Message("still routed", stream: false, model: "quick")))
        {
            Assert.Equal(200, (int)stillQuick.StatusCode);
        }

        ready = await ReadyzAsync(gateway);
        Assert.Equal("rejected", (string)ready["reload"]!["status"]!);
        Assert.Contains($"gateway.yaml:{line}:", (string)ready["reload"]!["message"]!, StringComparison.Ordinal);
        Assert.False(gateway.HasExited);
        Assert.DoesNotContain(bob, string.Join('\n', gateway.Seen) + gateway.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(ServedGateway.Secret, string.Join('\n', gateway.Seen) + gateway.Stderr, StringComparison.Ordinal);
    }
}
