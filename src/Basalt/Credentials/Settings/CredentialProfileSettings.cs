using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Credentials.Oidc;
using Basalt.Diagnostics;

namespace Basalt.Credentials.Settings;

/// <summary>
/// One profile of <c>basalt-credential.json</c>: which source gives the credential and with what parameters, the
/// Bedrock region, optional endpoint overrides, and what to output. Source fields sit next to <c>source</c>:
/// <list type="bullet">
/// <item><c>identity-center</c>: <c>startUrl</c>, <c>ssoRegion</c>, <c>accountId</c>, <c>roleName</c> (Claude Desktop's
/// four <c>inferenceBedrockSso*</c> values), optional <c>ssoSession</c> (share the token with that AWS CLI
/// sso-session) and <c>scopes</c>;</item>
/// <item><c>aws-profile</c>: <c>profile</c>, optional <c>awsDir</c> and <c>awsCliPath</c>
/// (<c>inferenceBedrockProfile</c>/<c>AwsDir</c>/<c>AwsCliPath</c>);</item>
/// <item><c>static</c>: <c>accessKeyId</c>, <c>secretAccessKey</c>, optional <c>sessionToken</c>;</item>
/// <item><c>bedrock-api-key</c>: <c>apiKey</c>;</item>
/// <item><c>oidc</c>: the fields of <see cref="OidcSourceSettings"/> (issuer, clientId, preset, redirectPort, scopes,
/// roleArn, sessionDurationSeconds, flow, audience, stsEndpoint), kept as <see cref="OidcSection"/>.</item>
/// </list>
/// <see cref="ToString"/> never prints a secret.
/// </summary>
public sealed record CredentialProfileSettings
{
    public required string Name { get; init; }

    public required CredentialSourceKind Source { get; init; }

    /// <summary>The Bedrock region (minted tokens are valid there; <c>AWS_REGION</c> in shell output).</summary>
    public string? Region { get; init; }

    public string? Description { get; init; }

    public string? StartUrl { get; init; }

    public string? SsoRegion { get; init; }

    public string? AccountId { get; init; }

    public string? RoleName { get; init; }

    public string? SsoSession { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public string? AwsProfile { get; init; }

    public string? AwsDir { get; init; }

    public string? AwsCliPath { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    public string? SessionToken { get; init; }

    public string? ApiKey { get; init; }

    /// <summary><c>gateway</c> source: the gateway's base URL (its OAuth issuer, RFC 8414 §3).</summary>
    public Uri? GatewayUrl { get; init; }

    /// <summary><c>gateway</c> source: the client id the helper signs in with (public client, device grant).</summary>
    public string? GatewayClientId { get; init; }

    /// <summary>The oidc source's own fields as a JSON object (read by <see cref="OidcSourceSettingsReader"/>), kept for the writer and the cache key.</summary>
    public JsonElement? OidcSection { get; init; }

    /// <summary>The parsed oidc section, when <see cref="Source"/> is oidc and it parsed without errors.</summary>
    public OidcSourceSettings? Oidc { get; init; }

    public AwsServiceEndpoints Endpoints { get; init; } = AwsServiceEndpoints.None;

    public CredentialOutputSettings Output { get; init; } = CredentialOutputSettings.Default;

    /// <summary>Where the profile is defined (for diagnostics); null when built in code.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>
    /// A short stable hash of what identifies the credential (source, region, start URL, account, role, profile,
    /// OIDC section...), used in the cache key: changing any of them must not reuse credentials cached for the old
    /// values (cowork3p-reference §8: changing the start URL signs users out).
    /// </summary>
    public string Fingerprint()
    {
        var text = new StringBuilder()
            .Append(CredentialSourceKinds.ToName(Source)).Append('\n')
            .Append(Region).Append('\n')
            .Append(StartUrl).Append('\n').Append(SsoRegion).Append('\n').Append(AccountId).Append('\n').Append(RoleName).Append('\n')
            .Append(SsoSession).Append('\n').Append(Scopes is null ? string.Empty : string.Join(',', Scopes)).Append('\n')
            .Append(AwsProfile).Append('\n').Append(AwsDir).Append('\n')
            .Append(AccessKeyId).Append('\n')
            .Append(GatewayUrl?.AbsoluteUri).Append('\n').Append(GatewayClientId).Append('\n')
            .Append(OidcSection?.GetRawText()).Append('\n')
            .Append(Endpoints.SsoOidc).Append('\n').Append(Endpoints.Sso).Append('\n').Append(Endpoints.Sts)
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 6));
    }

    public override string ToString()
        => $"CredentialProfileSettings {{ Name = {Name}, Source = {CredentialSourceKinds.ToName(Source)}, Region = {Region}, StartUrl = {StartUrl}, AccountId = {AccountId}, RoleName = {RoleName}, AwsProfile = {AwsProfile}, AccessKeyId = {AccessKeyId}, SecretAccessKey = {(SecretAccessKey is null ? "none" : "***")}, ApiKey = {(ApiKey is null ? "none" : "***")} }}";
}
