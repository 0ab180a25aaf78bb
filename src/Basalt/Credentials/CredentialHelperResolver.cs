using Basalt.Aws;
using Basalt.Credentials.Cache;
using Basalt.Credentials.IdentityCenter;
using Basalt.Credentials.Oidc;
using Basalt.Credentials.Profiles;
using Basalt.Credentials.Settings;
using Basalt.Credentials.StaticKeys;

namespace Basalt.Credentials;

/// <summary>
/// Ties the end-user flow together (ARCHITECTURE.md, "End user"): settings profile → <see cref="ICredentialSource"/>
/// → <see cref="CachingCredentialSource"/> (encrypted cache + cross-process lock) → <see cref="ResolvedCredential"/>,
/// whose methods render the output formats. A host (the <c>basalt-credential</c> binary, <c>basalt credentials</c>)
/// does: find settings (<see cref="CredentialSettingsLocator"/>) → <see cref="CredentialHelperSettings.Load"/> →
/// <c>new CredentialHelperResolver(settings, environment)</c> → <see cref="ResolveAsync"/> with the context from
/// <see cref="CredentialContexts.FromEnvironment"/> → print one format on stdout, diagnostics on stderr.
/// </summary>
public sealed class CredentialHelperResolver
{
    /// <summary>How long a gateway token lives: the gateway accepts at most 15 minutes by default (identity.aws).</summary>
    public static readonly TimeSpan GatewayTokenLifetime = TimeSpan.FromMinutes(15);

    private readonly CredentialEnvironment _environment;

    public CredentialHelperResolver(CredentialHelperSettings settings, CredentialEnvironment environment, CredentialCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        Settings = settings;
        _environment = environment;
        Cache = cache ?? new CredentialCache(CredentialCache.DefaultDirectory(environment), environment);
    }

    public CredentialHelperSettings Settings { get; }

    public CredentialCache Cache { get; }

    /// <summary>Refresh cached credentials this long before they expire (default 5 minutes).</summary>
    public TimeSpan RefreshMargin { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The profile by name, or the default; throws a user-facing error when there is none.</summary>
    public CredentialProfileSettings GetProfile(string? name)
        => Settings.GetProfile(name) ?? throw new CredentialException(name is null
            ? $"No profile given and no defaultProfile in {Settings.Path ?? "the settings"}; name one of: {string.Join(", ", Settings.Profiles.Keys)}."
            : $"There is no profile \"{name}\" in {Settings.Path ?? "the settings"}; profiles: {string.Join(", ", Settings.Profiles.Keys)}.");

    /// <summary>The cache key of a profile: its name plus a fingerprint of what identifies its credentials.</summary>
    public static string CacheKeyFor(CredentialProfileSettings profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return $"{profile.Name}-{profile.Fingerprint()}";
    }

    /// <summary>The uncached source of a profile (for <c>--explain</c> and tests). Null for a Bedrock API key profile.</summary>
    public ICredentialSource? CreateSource(CredentialProfileSettings profile, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var endpoints = profile.Endpoints.Or(AwsServiceEndpoints.FromEnvironment(_environment));
        return profile.Source switch
        {
            CredentialSourceKind.IdentityCenter => new IdentityCenterSource(profile.StartUrl!, profile.SsoRegion!, profile.AccountId!, profile.RoleName!, _environment, endpoints, profile.SsoSession, profile.Scopes),
            CredentialSourceKind.AwsProfile => new AwsProfileSource(profile.AwsProfile!, _environment, profile.AwsDir, profile.AwsCliPath, endpoints),
            CredentialSourceKind.Static => new StaticCredentialSource(new AwsCredentials(profile.AccessKeyId!, profile.SecretAccessKey!, profile.SessionToken)),
            CredentialSourceKind.Oidc => new OidcCredentialSource(
                OidcSettingsFor(profile, endpoints),
                new EncryptedOidcSessionStore(Cache, CacheKeyFor(profile), log)),
            CredentialSourceKind.BedrockApiKey => null,
            CredentialSourceKind.Gateway => throw new CredentialException($"Profile \"{profile.Name}\" signs in to the gateway {profile.GatewayUrl}; it has no AWS credentials. Use gateway-oauth-token."),
            _ => throw new CredentialException($"Unsupported source for profile \"{profile.Name}\"."),
        };
    }

    // The profile's own stsEndpoint wins; otherwise the endpoints every other source uses (settings, then the
    // standard AWS_ENDPOINT_URL_STS variables), so one override points the whole helper at a private endpoint.
    private OidcSourceSettings OidcSettingsFor(CredentialProfileSettings profile, AwsServiceEndpoints endpoints)
    {
        var oidc = profile.Oidc ?? throw new CredentialException($"The oidc settings of profile \"{profile.Name}\" are invalid; run basalt credentials check on {Settings.Path}.");
        return oidc.StsEndpoint is null && endpoints.Sts is not null ? oidc with { StsEndpoint = endpoints.Sts } : oidc;
    }

    /// <summary>
    /// Resolves a profile (null = the default) for <paramref name="request"/>: cached credentials while fresh,
    /// otherwise the source under the cross-process lock; then mints the Bedrock token when the profile outputs one.
    /// Throws <see cref="CredentialException"/> with a user-facing message on failure.
    /// </summary>
    public async Task<ResolvedCredential> ResolveAsync(string? profileName, CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var profile = GetProfile(profileName);
        if (profile.Source == CredentialSourceKind.BedrockApiKey)
        {
            return new ResolvedCredential(profile, null, profile.ApiKey, null, profile.Output.Headers);
        }

        var source = CreateSource(profile, request.Log)!;
        try
        {
            var cached = new CachingCredentialSource(source, Cache, CacheKeyFor(profile), _environment.TimeProvider) { RefreshMargin = RefreshMargin };
            var credentials = await cached.GetCredentialsAsync(request, cancellationToken).ConfigureAwait(false);
            string? token = null;
            DateTimeOffset? tokenExpiration = null;
            if (profile.Output.BedrockToken)
            {
                (token, tokenExpiration) = Mint(profile, credentials);
            }

            return new ResolvedCredential(profile, credentials, token, tokenExpiration, profile.Output.Headers);
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }

    /// <summary>Forgets what Basalt cached for a profile (credentials and any OIDC session); the AWS CLI's SSO cache is left to <c>aws sso logout</c>.</summary>
    public void SignOut(string? profileName)
    {
        var key = CacheKeyFor(GetProfile(profileName));
        Cache.Remove(key);
        Cache.Remove(key + "#oidc-session");
        Cache.Remove(key + Gateway.GatewaySignIn.SessionSuffix);
    }

    /// <summary>The gateway sign-in of a <c>gateway</c> profile, its session in this resolver's cache.</summary>
    public Gateway.GatewaySignIn GatewaySignInFor(CredentialProfileSettings profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var url = profile.GatewayUrl ?? throw new CredentialException($"Profile \"{profile.Name}\" has no usable gatewayUrl; run basalt credentials check on {Settings.Path}.");
        return new Gateway.GatewaySignIn(url, profile.GatewayClientId ?? Gateway.GatewaySignIn.DefaultClientId, profile.Scopes, Cache, CacheKeyFor(profile), _environment);
    }

    /// <summary>
    /// The token that proves this profile's AWS identity to a Basalt gateway (issue 9 item 4): a presigned
    /// GetCallerIdentity for the profile's region, at its STS endpoint (profile, then <c>AWS_ENDPOINT_URL_STS</c>,
    /// then the public regional one), bound to <c>output.gatewayId</c> when set. It lives
    /// <see cref="GatewayTokenLifetime"/> (the gateway's default maximum) or until the credentials expire; minting is
    /// local, so every run makes a fresh one.
    /// </summary>
    public string GatewayToken(ResolvedCredential resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var profile = resolved.Profile;
        var credentials = resolved.AwsCredentials ?? throw new CredentialException($"Profile \"{profile.Name}\" is a Bedrock API key, which has no AWS identity to prove to a gateway; use a profile with AWS credentials.");
        var region = profile.Region ?? throw new CredentialException($"Profile \"{profile.Name}\" needs a \"region\" for gateway-token (the region the gateway's identity.aws.region names).");
        var sts = profile.Endpoints.Or(AwsServiceEndpoints.FromEnvironment(_environment)).Sts ?? new Uri($"https://sts.{region}.amazonaws.com");
        return Basalt.Identity.Aws.AwsIdentityToken.Mint(credentials, sts, region, profile.Output.GatewayId, GatewayTokenLifetime, _environment.UtcNow);
    }


    private (string Token, DateTimeOffset Expiration) Mint(CredentialProfileSettings profile, AwsCredentials credentials)
    {
        var now = _environment.UtcNow;
        var lifetime = profile.Output.TokenLifetime;

        // A token signed with temporary credentials stops working when they expire, whatever it says.
        if (credentials.Expiration is { } expiration && expiration - now < lifetime)
        {
            lifetime = expiration - now;
        }

        lifetime = TimeSpan.FromSeconds(Math.Clamp(Math.Floor(lifetime.TotalSeconds), 1, BedrockApiKey.MaxLifetime.TotalSeconds));
        var region = profile.Region ?? throw new CredentialException($"Profile \"{profile.Name}\" mints a Bedrock token but has no region.");
        return (BedrockApiKey.Mint(credentials, region, lifetime, now), now + lifetime);
    }
}
