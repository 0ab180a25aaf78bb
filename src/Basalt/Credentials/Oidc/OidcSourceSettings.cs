namespace Basalt.Credentials.Oidc;

/// <summary>
/// The <c>oidc</c> credential source section: which IdP to sign in with (issuer, public client id, preset), how
/// (flow, loopback redirect port, scopes), and which role STS gives the signed-in user
/// (<c>AssumeRoleWithWebIdentity</c>, bedrock-and-clients §4). Read from the credential helper's settings by
/// <see cref="OidcSourceSettingsReader"/>, which reports every problem as a <see cref="Diagnostic"/> naming the field.
/// </summary>
public sealed record OidcSourceSettings
{
    /// <summary>The redirect port of the AWS guidance (<c>http://localhost:8400/callback</c>), which IdP registrations already allow.</summary>
    public const int DefaultRedirectPort = 8400;

    public const int DefaultSessionDurationSeconds = 3600;

    /// <summary>
    /// The issuer exactly as configured (a string: <see cref="Uri"/> would add a trailing slash, and <c>iss</c> is
    /// compared character for character — Okta has none, Auth0 has one).
    /// </summary>
    public required string Issuer { get; init; }

    /// <summary>A public (native) client: no secret; PKCE protects the code (cowork3p-reference §6.3).</summary>
    public required string ClientId { get; init; }

    public OidcProviderKind Preset { get; init; } = OidcProviderKind.Generic;

    /// <summary>Loopback port of <c>http://127.0.0.1:{port}/callback</c>; 0 lets the OS pick (for IdPs that follow RFC 8252 §7.3).</summary>
    public int RedirectPort { get; init; } = DefaultRedirectPort;

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string RoleArn { get; init; }

    public required string Region { get; init; }

    public int SessionDurationSeconds { get; init; } = DefaultSessionDurationSeconds;

    public OidcFlow Flow { get; init; } = OidcFlow.Auto;

    /// <summary>
    /// The <c>aud</c> the ID token must carry when it is not the client id (some IdPs issue ID tokens for an
    /// application id that differs from the OAuth client id); it is also the client id the IAM OIDC provider lists.
    /// </summary>
    public string? Audience { get; init; }

    /// <summary>STS endpoint override (a VPC endpoint, FIPS, or the local emulator); default is the regional endpoint.</summary>
    public Uri? StsEndpoint { get; init; }

    public string ExpectedAudience => Audience ?? ClientId;

    internal OidcProviderPreset ProviderPreset => OidcProviderPreset.For(Preset);
}
