// The gateway is net10.0-only; the net9.0 build of this library (for the NativeAOT credential helper) has no
// SQLite key store (Basalt.csproj), so it leaves this out.
#if NET10_0_OR_GREATER
using Basalt.Gateway.Configuration;
using Basalt.Identity;
using Basalt.Identity.ApiKeys;
using Basalt.Identity.Aws;
using Basalt.Identity.ApiKeys.Stores;
using Basalt.Identity.Groups;
using Basalt.Identity.OAuth;
using Basalt.Identity.Oidc;

namespace Basalt.Gateway.Authentication;

/// <summary>
/// The gateway's authenticator chain built from its configuration (issue 9; the host only calls this): configured
/// API keys first (a hash compare), then managed <c>bsk_</c> keys (a prefix test before any store lookup), then
/// the gateway's own access tokens (when it is an OAuth authorization server), bearer JWTs of the configured OIDC
/// issuers, then presigned AWS identities (<c>basalt-aws-v1.</c>). Each one passes on credentials it does not recognise, and
/// <see cref="AuthenticatorChain"/> refuses what nobody recognised, so a token of an unconfigured issuer is a 401.
/// Owns the HTTP client that fetches issuers' keys.
/// </summary>
public sealed class GatewayAuthenticators : IAsyncDisposable
{
    /// <summary>Fetching an issuer's discovery document or keys never holds a request longer than this.</summary>
    private static readonly TimeSpan KeyFetchTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient? _http;
    private SqlApiKeyStore? _keyStore;

    private GatewayAuthenticators(IReadOnlyList<IRequestAuthenticator> chain, HttpClient? http, ApiKeyService? keys, ManagedApiKeyAuthenticator? managed, OAuthAuthority? oauth)
    {
        Chain = chain;
        OAuth = oauth;
        _http = http;
        ApiKeys = keys;
        ManagedKeys = managed;
    }

    /// <summary>In order: configured keys, managed keys (when a store is configured), OIDC (when issuers are).</summary>
    public IReadOnlyList<IRequestAuthenticator> Chain { get; }

    /// <summary>Managing the managed keys of this gateway's store (the admin API); null when managed keys are off.</summary>
    public ApiKeyService? ApiKeys { get; }

    public ManagedApiKeyAuthenticator? ManagedKeys { get; }

    /// <summary>The gateway's authorization server (issue 9 item 3); null unless <c>identity.oauth</c> is configured.</summary>
    public OAuthAuthority? OAuth { get; }

    public static async Task<GatewayAuthenticators> CreateAsync(GatewayOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        var identity = options.Identity;
        var chain = new List<IRequestAuthenticator> { new ConfiguredApiKeyAuthenticator(options.ApiKeys) };
        ApiKeyService? keys = null;
        ManagedApiKeyAuthenticator? managed = null;
        SqlApiKeyStore? keyStore = null;
        if (identity.ManagedKeyStore is not null)
        {
            var store = await OpenKeyStoreAsync(options, cancellationToken).ConfigureAwait(false);
            keyStore = store;
            keys = new ApiKeyService(store, time);
            managed = new ManagedApiKeyAuthenticator(store, new GroupMapping { Users = identity.Members }, time);
            chain.Add(managed);
        }

        HttpClient? http = null;
        if (identity.Issuers.Count > 0 || identity.Aws is not null || identity.OAuth is not null)
        {
            // No cookies, no redirects: issuers' documents are fetched as published, and STS is called only on the
            // configured host.
            http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = KeyFetchTimeout };
        }

        OAuthAuthority? oauth = null;
        if (identity.OAuth is { } server)
        {
            // Refresh tokens and the signing key go where the usage store is: PostgreSQL when replicas share one.
            if (SharedPostgres(options) is { } postgres)
            {
                server = server with { PostgresConnectionString = postgres };
            }

            oauth = await OAuthAuthority.CreateAsync(server, http!, time, cancellationToken).ConfigureAwait(false);
            chain.Add(oauth.Authenticator);
        }

        if (identity.Issuers.Count > 0)
        {
            chain.Add(new OidcBearerAuthenticator(identity.Issuers, http!, time));
        }

        if (identity.Aws is { } aws)
        {
            chain.Add(new AwsIdentityAuthenticator(aws, http!, time));
        }

        return new GatewayAuthenticators(chain, http, keys, managed, oauth) { _keyStore = keyStore };
    }

    /// <summary>
    /// The managed-key store of this configuration: the usage store's PostgreSQL when usage is kept there (replicas
    /// then share keys, revocations and last use), else the SQLite file <c>identity.managedKeys</c> names. The
    /// gateway and <c>basalt gateway keys</c> both open it here, so they always agree.
    /// </summary>
    public static async Task<SqlApiKeyStore> OpenKeyStoreAsync(GatewayOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SharedPostgres(options) is { } postgres
            ? await SqlApiKeyStore.OpenPostgresAsync(postgres, cancellationToken).ConfigureAwait(false)
            : await SqlApiKeyStore.OpenSqliteAsync(options.Identity.ManagedKeyStore ?? throw new ArgumentException("identity.managedKeys is not configured", nameof(options)), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_keyStore is not null)
        {
            await _keyStore.DisposeAsync().ConfigureAwait(false);
        }

        if (OAuth is not null)
        {
            await OAuth.DisposeAsync().ConfigureAwait(false);
        }

        _http?.Dispose();
    }

    /// <summary>The usage store's PostgreSQL connection string, when usage is kept in PostgreSQL.</summary>
    private static string? SharedPostgres(GatewayOptions options) => options.Usage.Options is { StoreKind: "postgresql" } usage ? usage.StoreTarget : null;
}
#endif
