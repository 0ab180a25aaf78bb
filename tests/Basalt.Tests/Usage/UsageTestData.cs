using Basalt.Identity;
using Basalt.Usage;
using Basalt.Usage.Pricing;
using Basalt.Usage.Records;

namespace Basalt.Tests.Usage;

/// <summary>Builders for usage events and records with realistic shapes.</summary>
internal static class UsageTestData
{
    public static readonly TokenPrices Sonnet = new(3m, 15m, 0.30m, 3.75m, 6m, "test");

    public static UsagePricer Pricer() => new(id => id == "claude-sonnet-5" ? Sonnet : null);

    public static Principal Principal(string user, params string[] groups) =>
        new(user, user, null, groups, AuthenticationMethod.ConfiguredApiKey, "key-" + user);

    public static UsageEvent Event(string id, string user, DateTimeOffset at, long input = 1000, long output = 500, string model = "claude-sonnet-5", string[]? groups = null) => new()
    {
        RequestId = id,
        Timestamp = at,
        Principal = Principal(user, groups ?? ["eng"]),
        InboundProtocol = "anthropic",
        ModelRequested = model,
        ModelServed = model,
        InputTokens = input,
        OutputTokens = output,
        Duration = TimeSpan.FromMilliseconds(120),
        TimeToFirstByte = TimeSpan.FromMilliseconds(30),
        Outcome = UsageOutcome.Ok,
        StatusCode = 200,
    };

    public static UsageRecord Record(string id, string user, DateTimeOffset at, long input = 1000, long output = 500, string model = "claude-sonnet-5", string[]? groups = null) =>
        UsageRecord.From(Event(id, user, at, input, output, model, groups), Pricer());
}
