using System.Text.Json;
using System.Text.RegularExpressions;

namespace Basalt.ManagedConfig;

/// <summary>The OIDC objects (<c>inferenceGatewayOidc</c>, <c>inferenceVertexWorkforceOidc</c>, <c>bootstrapOidc</c>, <c>inferenceIdpOidc</c>; §2.4, §6.3).</summary>
internal static partial class JsonDocumentRules
{
    private static void Oidc(ValidationContext ctx, string key, JsonElement oidc)
    {
        if (oidc.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var definition = KeyCatalogue.Find(key);
        var gatewayNote = definition?.MalformedConsequence is { } consequence ? " " + consequence : string.Empty;
        if (Str(oidc, "clientId") is null)
        {
            ctx.Error(ConfigDiagnosticCodes.OidcInvalid, key, $"{key}.clientId is required.{gatewayNote}", "Add \"clientId\" (a public/native client registration).");
        }

        var issuer = Str(oidc, "issuer");
        var hasEndpoints = Str(oidc, "authorizationUrl") is not null && Str(oidc, "tokenUrl") is not null;
        if (issuer is null && !hasEndpoints)
        {
            ctx.Error(ConfigDiagnosticCodes.OidcInvalid, key, $"{key} needs \"issuer\", or both \"authorizationUrl\" and \"tokenUrl\".{gatewayNote}", "Add \"issuer\": \"https://idp.example.com\".");
        }

        if (issuer is not null)
        {
            if (issuer.Contains("/.well-known/", StringComparison.Ordinal))
            {
                ctx.Error(ConfigDiagnosticCodes.IssuerWellKnown, key,
                    $"{key}.issuer includes the metadata path; the app appends /.well-known/openid-configuration itself and discovery fails with HTTP 404/405.",
                    $"Use \"{issuer[..issuer.IndexOf("/.well-known/", StringComparison.Ordinal)]}\".");
            }
            else if (!IsHttpsUrl(issuer))
            {
                ctx.Error(ConfigDiagnosticCodes.OidcInvalid, key, $"{key}.issuer must be an https:// URL.", "Use the IdP's issuer URL.");
            }
        }

        if (Str(oidc, "bearerTokenType") is { } btt)
        {
            if (btt is not ("id_token" or "access_token"))
            {
                ctx.Error(ConfigDiagnosticCodes.OidcInvalid, key, $"{key}.bearerTokenType is \"{btt}\"; expected id_token or access_token.", "Use id_token (default) or access_token.");
            }
            else if (btt == "access_token" && !oidc.TryGetProperty("scopes", out _))
            {
                ctx.Error(ConfigDiagnosticCodes.OidcInvalid, key, $"{key}.bearerTokenType is access_token but \"scopes\" is not set; scopes are required in access_token mode.",
                    "Add \"scopes\" with the API scope your gateway validates.");
            }
        }

        if (oidc.TryGetProperty("redirectPort", out var port) && (!port.TryGetInt32(out var p) || p is < 1 or > 65535))
        {
            ctx.Error(ConfigDiagnosticCodes.OutOfRange, key, $"{key}.redirectPort must be an integer 1–65535.", "Use a fixed loopback port such as 53180, or remove it for an ephemeral port.");
        }

        var flowKey = definition?.AuthFlowKey;
        if (flowKey is not null && ctx.Value(flowKey) == "broker" && issuer is not null && !EntraIssuer().IsMatch(issuer))
        {
            ctx.Error(ConfigDiagnosticCodes.BrokerNeedsEntraIssuer, flowKey,
                $"{flowKey} is \"broker\", which requires an Entra issuer https://login.microsoftonline.com/{{tenant-id}}/v2.0; {key}.issuer is another IdP.",
                "Use \"browser\", or point issuer at Entra.");
        }
    }
}
