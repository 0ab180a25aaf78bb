using Basalt.Diagnostics.Reading;
namespace Basalt.Deployment;

/// <summary>
/// An LLM gateway in front of Bedrock (cowork3p-reference §5.1, §6). Devices authenticate with a static key
/// (<see cref="ApiKey"/>), by signing in to the IdP (<see cref="OidcJson"/> becomes <c>inferenceGatewayOidc</c>)
/// or through the credential helper.
/// </summary>
public sealed record GatewaySettings(FieldValue BaseUrl, FieldValue? ApiKey, string AuthScheme, FieldValue? OidcJson, bool UseHelper);
