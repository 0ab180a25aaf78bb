using System.Text.Json;

namespace Basalt.ManagedConfig;

/// <summary>
/// How a device signs in to an LLM gateway under the resolved credential (cowork3p-reference §6.3), in one sentence
/// for <see cref="ConfigReport"/>: where the app goes, what it sends, and where the token comes from — the same
/// detail the report gives every other approach.
/// </summary>
internal static class GatewaySignInExplanation
{
    public static string? For(ValidationResult result)
    {
        if (result.Provider != InferenceProvider.Gateway || result.Credentials?.Winner is not { } winner)
        {
            return null;
        }

        var baseUrl = result.Effective("inferenceGatewayBaseUrl")?.Value?.TrimEnd('/') ?? "(no inferenceGatewayBaseUrl)";
        var scheme = result.Effective("inferenceGatewayAuthScheme")?.Value;
        var header = scheme == "x-api-key" ? "x-api-key" : "Authorization: Bearer";
        return winner.Id switch
        {
            "gateway-as" => $"the app reads {baseUrl}/.well-known/oauth-authorization-server (it must advertise device_authorization_endpoint), shows the person a user code to approve in a browser (device grant, RFC 8628), and sends the gateway's own access token as {header}; the gateway refreshes it with its rotating refresh token",
            "gateway-oidc" => $"the app signs the person in at {Issuer(result) ?? "the IdP named in inferenceGatewayOidc"} (authorization code + PKCE) and sends the IdP's token to {baseUrl} as {header}; the gateway validates it against that issuer",
            "gateway-key" => $"every request to {baseUrl} carries the configured key as {header} (one key for every device of this configuration)",
            "helper" => $"the app runs {result.Effective("inferenceCredentialHelper")?.Value ?? "the credential helper"} and sends what it prints to {baseUrl} as {header}; for basalt-credential, its settings profile decides which token that is (an AWS-identity token, the gateway's own OAuth token or an IdP token)",
            _ => null,
        };
    }

    private static string? Issuer(ValidationResult result)
    {
        if (result.Effective("inferenceGatewayOidc")?.Value is not { } json)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("issuer", out var issuer) && issuer.ValueKind == JsonValueKind.String
                ? issuer.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null; // reported by the key's own JSON rule
        }
    }
}
