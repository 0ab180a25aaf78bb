namespace Basalt.Gateway.Tests.TestSupport;

public sealed class GatewayTestOptions
{
    /// <summary>How many emulators ("regions") to start; each is one upstream in the model's routes, in order.</summary>
    public int Upstreams { get; init; } = 1;

    /// <summary>A <c>faults:</c> section per emulator (index = upstream).</summary>
    public IReadOnlyList<string?> Faults { get; init; } = [];

    public bool AssumeRole { get; init; }

    public int BreakerThreshold { get; init; } = 3;

    public int FirstByteTimeoutSeconds { get; init; } = 10;

    /// <summary>Extra keys under the emulator's <c>bedrock:</c> (indented two spaces).</summary>
    public string? ExtraBedrockYaml { get; init; }

    /// <summary>Extra entries under the gateway's <c>models:</c> (indented four spaces).</summary>
    public string? ExtraModelsYaml { get; init; }

    public int? MaxConcurrentStreams { get; init; }

    public long? MaxBodyBytes { get; init; }

    /// <summary>A real usage sink (issue 10) instead of <see cref="GatewayTestHost.Usage"/>'s recording one.</summary>
    public Basalt.Usage.IUsageSink? UsageSink { get; init; }

    /// <summary>Budgets and rate limits (issue 10); null admits everything.</summary>
    public Basalt.Usage.IAdmissionPolicy? Admission { get; init; }

    /// <summary>A <c>usage:</c> section (indented four spaces under it) read from the YAML: the gateway then starts usage itself.</summary>
    public string? UsageYaml { get; init; }

    public Func<IReadOnlyList<Basalt.Emulator.EmulatorServer>, string>? GatewayYaml { get; init; }

    /// <summary>A <c>policy:</c> for the engineering group (alice), indented as under <c>policy:</c> (eight spaces).</summary>
    public string? EngineeringPolicyYaml { get; init; }

    /// <summary>Extra <c>${env:}</c> values the gateway configuration may reference.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra top-level gateway sections (indented two spaces), e.g. <c>archive:</c>.</summary>
    public string? ExtraGatewayYaml { get; init; }

    /// <summary>Receives the gateway's access lines (one per request).</summary>
    public AccessLog? AccessLog { get; init; }

    /// <summary>The gateway's clock (the authorization server's expiries); the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
