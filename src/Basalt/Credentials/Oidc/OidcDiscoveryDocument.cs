using System.Text.Json;

namespace Basalt.Credentials.Oidc;

/// <summary>The parts of <c>/.well-known/openid-configuration</c> (OpenID Connect Discovery 1.0 §3) Basalt uses.</summary>
internal sealed record OidcDiscoveryDocument
{
    public required string Issuer { get; init; }

    public required Uri AuthorizationEndpoint { get; init; }

    public required Uri TokenEndpoint { get; init; }

    public required Uri JwksUri { get; init; }

    /// <summary>RFC 8628 §4; absent when the IdP (or this application) has no device grant.</summary>
    public Uri? DeviceAuthorizationEndpoint { get; init; }

    /// <summary>RFC 9207: the IdP adds <c>iss</c> to the authorization response, which the client then must check.</summary>
    public bool AuthorizationResponseIssParameterSupported { get; init; }

    /// <summary>
    /// <c>token_endpoint_auth_methods_supported</c>; null when the document does not say, which means
    /// <c>client_secret_basic</c> only (OpenID Connect Discovery §3, RFC 8414 §2).
    /// </summary>
    public IReadOnlyList<string>? TokenEndpointAuthMethods { get; init; }

    /// <summary>
    /// Parses and checks the document against the configured issuer: its <c>issuer</c> must be the same URL
    /// (Discovery §4.3, up to a trailing slash, which Auth0 adds), and every endpoint must be https (or loopback).
    /// </summary>
    public static OidcDiscoveryDocument Parse(JsonElement root, string configuredIssuer, Uri source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CredentialException($"OIDC discovery failed: {source} is not an OpenID Connect discovery document.");
        }

        var issuer = String(root, "issuer") ?? throw Missing("issuer");
        if (!string.Equals(issuer.TrimEnd('/'), configuredIssuer.TrimEnd('/'), StringComparison.Ordinal))
        {
            throw new CredentialException($"OIDC discovery failed: {source} belongs to issuer '{issuer}', not the configured '{configuredIssuer}'. Set issuer in the oidc settings to '{issuer}'" +
                (issuer.StartsWith("https://sts.windows.net/", StringComparison.Ordinal) ? " — or better, use the Entra v2.0 issuer https://login.microsoftonline.com/<tenant-id>/v2.0." : "."));
        }

        if (root.TryGetProperty("code_challenge_methods_supported", out var methods) && methods.ValueKind == JsonValueKind.Array
            && !methods.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.String && m.GetString() == "S256"))
        {
            throw new CredentialException($"The identity provider {issuer} does not support PKCE with S256, which a public client needs. Enable PKCE for the application.");
        }

        return new OidcDiscoveryDocument
        {
            Issuer = issuer,
            AuthorizationEndpoint = Endpoint(root, "authorization_endpoint", required: true)!,
            TokenEndpoint = Endpoint(root, "token_endpoint", required: true)!,
            JwksUri = Endpoint(root, "jwks_uri", required: true)!,
            DeviceAuthorizationEndpoint = Endpoint(root, "device_authorization_endpoint", required: false),
            AuthorizationResponseIssParameterSupported = root.TryGetProperty("authorization_response_iss_parameter_supported", out var iss) && iss.ValueKind == JsonValueKind.True,
            TokenEndpointAuthMethods = root.TryGetProperty("token_endpoint_auth_methods_supported", out var auth) && auth.ValueKind == JsonValueKind.Array
                ? [.. auth.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!)]
                : null,
        };

        CredentialException Missing(string field) => new($"OIDC discovery failed: {source} has no '{field}'.");

        Uri? Endpoint(JsonElement element, string field, bool required)
        {
            var text = String(element, field);
            if (text is null)
            {
                return required ? throw Missing(field) : null;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                throw new CredentialException($"OIDC discovery failed: '{field}' in {source} is not an https URL.");
            }

            return uri;
        }
    }

    private static string? String(JsonElement root, string name)
        => root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(e.GetString()) ? e.GetString() : null;
}
