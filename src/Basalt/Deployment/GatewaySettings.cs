using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;
namespace Basalt.Deployment;

/// <summary>
/// An LLM gateway in front of Bedrock (cowork3p-reference §5.1, §6). Devices authenticate with a static key
/// (<see cref="ApiKey"/>), by signing in to the IdP (<see cref="OidcJson"/> becomes <c>inferenceGatewayOidc</c>),
/// through the credential helper, or by signing in to the gateway itself as OAuth authorization server
/// (<see cref="GatewaySignIn"/>: <c>interactive</c> without <c>inferenceGatewayOidc</c>, §6.3).
/// </summary>
public sealed record GatewaySettings(FieldValue BaseUrl, FieldValue? ApiKey, string AuthScheme, FieldValue? OidcJson, bool UseHelper)
{
    /// <summary>
    /// Where <c>basalt: true</c> was written: the gateway is Basalt's own, configured by the file's top-level
    /// <c>gateway:</c> section (issue 8 item 9); null for somebody else's gateway.
    /// </summary>
    public SourceLocation? Basalt { get; init; }

    /// <summary><c>gatewaySignIn: true</c>: devices sign in to the gateway's own authorization server (device grant).</summary>
    public bool GatewaySignIn { get; init; }

    /// <summary><c>telemetry: true</c>: Claude Desktop's <c>otlpEndpoint</c> and Claude Code's OTLP exporter point at the gateway.</summary>
    public bool Telemetry { get; init; }

    public bool IsBasalt => Basalt is not null;
}
