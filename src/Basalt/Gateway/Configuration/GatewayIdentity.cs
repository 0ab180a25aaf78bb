using Basalt.Identity.Aws;
using Basalt.Identity.OAuth;
using Basalt.Identity.Oidc;

namespace Basalt.Gateway.Configuration;

/// <summary>
/// The gateway's <c>identity:</c> section (issue 9): which external IdPs' bearer tokens it accepts (each with its
/// claim → group mapping), explicit group members (stable user ids, for every authentication method), and where
/// managed API keys are stored. The configured <c>apiKeys:</c> stay beside it; the authenticators are built from
/// this by <see cref="Authentication.GatewayAuthenticators"/>.
/// </summary>
public sealed record GatewayIdentity
{
    /// <summary>Where managed keys go (beside the configuration) when <c>managedKeys:</c> names no file.</summary>
    public const string DefaultKeyStore = "gateway-keys.db";

    public static GatewayIdentity None { get; } = new();

    /// <summary>External IdPs, several at once; a token is checked only against the issuer in its <c>iss</c>.</summary>
    public IReadOnlyList<OidcIssuerOptions> Issuers { get; init; } = [];

    /// <summary>Gateway group → stable user ids in it (<c>oid</c>/<c>sub</c>, a managed key's owner).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Members { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>Presigned GetCallerIdentity tokens (IAM / IAM Identity Center without an IdP); null when off.</summary>
    public AwsIdentityOptions? Aws { get; init; }

    /// <summary>The gateway as OAuth authorization server (device grant, authorization code, refresh); null when off.</summary>
    public OAuthServerOptions? OAuth { get; init; }

    /// <summary>The SQLite file of managed (<c>bsk_</c>) keys, absolute; null when managed keys are off.</summary>
    public string? ManagedKeyStore { get; init; }
}
