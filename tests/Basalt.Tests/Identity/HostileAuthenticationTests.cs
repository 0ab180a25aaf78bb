using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Gateway.Authentication;
using Basalt.Identity;
using Basalt.Identity.ApiKeys;
using Basalt.Identity.ApiKeys.Stores;
using Basalt.Identity.Groups;
using Basalt.Identity.Oidc;
using Basalt.Testing;
using Basalt.Tests.Credentials.Oidc.Support;
using Basalt.Tests.Identity.Support;

namespace Basalt.Tests.Identity;

/// <summary>
/// The hostile suite (issue 9, "Done when"): every case is a credential an attacker or a broken client could send,
/// run through the gateway's authenticator chain (two OIDC issuers configured plus managed API keys); each must be
/// refused (401). Until the gateway host maps the chain, "no upstream call" is the chain's refusal itself. A
/// control case proves the same setup accepts a good credential, so the refusals are not an accident of setup.
/// </summary>
public sealed class HostileAuthenticationTests : IAsyncLifetime
{
    private const string Audience = "gateway-client";
    private const string OtherAudience = "finance-gateway";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private readonly TestJwt _idp = new();
    private readonly TestJwt _otherIdp = new();
    private readonly TestJwt _attacker = new();
    private readonly TempDirectory _dir = new("hostile");
    private readonly ManualClock _clock = new(Now);
    private readonly HttpClient _http = new();
    private LoopbackIssuer _issuer = null!;
    private LoopbackIssuer _second = null!;
    private LoopbackIssuer _unconfigured = null!;
    private AuthenticatorChain _chain = null!;
    private ApiKeyService _keys = null!;

    public async Task InitializeAsync()
    {
        _issuer = new LoopbackIssuer(_idp.JwksJson());
        _second = new LoopbackIssuer(_otherIdp.JwksJson());
        _unconfigured = new LoopbackIssuer(_attacker.JwksJson());
        var store = await SqliteApiKeyStore.OpenAsync(_dir.Combine("gateway.db"), CancellationToken.None);
        _keys = new ApiKeyService(store, _clock);
        _chain = new AuthenticatorChain(
        [
            new ManagedApiKeyAuthenticator(store, GroupMapping.None, _clock),
            new OidcBearerAuthenticator(
                [
                    new OidcIssuerOptions { Issuer = _issuer.Issuer, Audiences = [Audience], ClientId = Audience },
                    new OidcIssuerOptions { Issuer = _second.Issuer, Audiences = [OtherAudience] },
                ],
                _http, _clock),
        ]);
    }

    public Task DisposeAsync()
    {
        _issuer.Dispose();
        _second.Dispose();
        _unconfigured.Dispose();
        _http.Dispose();
        _dir.Dispose();
        _idp.Dispose();
        _otherIdp.Dispose();
        _attacker.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string> Cases =>
    [
        "alg none", "alg none without a signature part", "alg None (case variant)", "HS256 signed with the JWKS as secret",
        "HS256 signed with the RSA modulus as secret", "HS512", "RS384 (not allowed)", "wrong iss (not configured)",
        "iss with a trailing path", "wrong aud", "aud of the other configured issuer", "no aud", "expired",
        "expired beyond the skew by one minute", "nbf in the future", "iat in the future", "unknown kid after refetch",
        "tampered payload", "tampered signature byte", "kid swapped to the EC key", "token from a second IdP not configured",
        "configured iss signed by an attacker EC key", "configured iss signed by an attacker key with the real kid",
        "missing sub", "missing exp", "exp as a string", "crit header", "JWE-shaped five parts", "oversize token",
        "malformed base64url", "payload is a JSON array", "several audiences with a foreign azp", "ES256 with a DER signature",
        "empty signature", "no credential at all", "revoked API key", "expired API key", "unknown API key of the right shape",
        "API key with one secret character changed", "malformed API key", "oversize API key", "rotated-out API key",
        "random opaque string",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_credential_is_refused(string @case)
    {
        var (bearer, apiKey) = await CredentialFor(@case);

        var result = await _chain.AuthenticateAsync(new AuthenticationRequest(bearer, apiKey, "/v1/messages", "127.0.0.1"), CancellationToken.None);

        Assert.Equal(AuthenticationOutcome.Rejected, result.Outcome);
        Assert.Null(result.Principal);
        Assert.False(string.IsNullOrEmpty(result.Reason));
        foreach (var secret in new[] { bearer, apiKey }.Where(s => s is { Length: > 20 }))
        {
            Assert.DoesNotContain(secret!, result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_suite_has_at_least_thirty_cases() => Assert.True(Cases.Count >= 30, $"{Cases.Count} cases");

    [Fact]
    public async Task Control_good_credentials_of_every_kind_are_accepted()
    {
        var (_, keyText) = await _keys.CreateAsync("ok", ApiKeyOwnerKind.User, "user-1", null, null, CancellationToken.None);
        var second = TestJwt.Claims(_second.Issuer, OtherAudience, Now, nonce: null);

        foreach (var (bearer, apiKey) in new[] { (Good(), (string?)null), (_idp.Sign(Claims(), "ES256"), null), (_otherIdp.Sign(second), null), (null, keyText) })
        {
            var result = await _chain.AuthenticateAsync(new AuthenticationRequest(bearer, apiKey, "/v1/messages"), CancellationToken.None);
            Assert.Equal(AuthenticationOutcome.Authenticated, result.Outcome);
        }
    }

    private JsonObject Claims() => TestJwt.Claims(_issuer.Issuer, Audience, Now, nonce: null);

    private string Good() => _idp.Sign(Claims());

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string Unsigned(string header, JsonObject claims) => B64(header) + "." + B64(claims.ToJsonString()) + ".";

    private string WithClaims(Action<JsonObject> change)
    {
        var claims = Claims();
        change(claims);
        return _idp.Sign(claims);
    }

    private string Hmac(string alg, byte[] secret, string kid = "rsa-1")
    {
        var input = B64($$"""{"alg":"{{alg}}","kid":"{{kid}}","typ":"JWT"}""") + "." + B64(Claims().ToJsonString());
        var data = Encoding.ASCII.GetBytes(input);
        var mac = alg == "HS512" ? HMACSHA512.HashData(secret, data) : HMACSHA256.HashData(secret, data);
        return input + "." + Base64Url.EncodeToString(mac);
    }

    private static string FlipSignatureByte(string token)
    {
        var dot = token.LastIndexOf('.');
        var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        signature[10] ^= 0x01;
        return token[..(dot + 1)] + Base64Url.EncodeToString(signature);
    }

    private async Task<(string? Bearer, string? ApiKey)> CredentialFor(string @case)
    {
        var modulus = _idp.Rsa.ExportParameters(false).Modulus!;
        switch (@case)
        {
            case "alg none": return (Unsigned("""{"alg":"none","typ":"JWT"}""", Claims()) + B64("x"), null);
            case "alg none without a signature part": return (Unsigned("""{"alg":"none"}""", Claims()), null);
            case "alg None (case variant)": return (Unsigned("""{"alg":"None","kid":"rsa-1"}""", Claims()), null);
            case "HS256 signed with the JWKS as secret": return (Hmac("HS256", Encoding.UTF8.GetBytes(_idp.JwksJson())), null);
            case "HS256 signed with the RSA modulus as secret": return (Hmac("HS256", modulus), null);
            case "HS512": return (Hmac("HS512", modulus), null);
            case "RS384 (not allowed)": return (_idp.Sign(Claims(), "RS384"), null);
            case "wrong iss (not configured)": return (WithClaims(c => c["iss"] = "https://evil.example.com"), null);
            case "iss with a trailing path": return (WithClaims(c => c["iss"] = _issuer.Issuer + "/tenant"), null);
            case "wrong aud": return (WithClaims(c => c["aud"] = "some-other-app"), null);
            case "aud of the other configured issuer": return (WithClaims(c => c["aud"] = OtherAudience), null);
            case "no aud": return (WithClaims(c => c.Remove("aud")), null);
            case "expired": return (_idp.Sign(TestJwt.Claims(_issuer.Issuer, Audience, Now.AddHours(-2), nonce: null)), null);
            case "expired beyond the skew by one minute": return (WithClaims(c => c["exp"] = Now.AddMinutes(-3).ToUnixTimeSeconds()), null);
            case "nbf in the future": return (WithClaims(c => c["nbf"] = Now.AddMinutes(10).ToUnixTimeSeconds()), null);
            case "iat in the future": return (WithClaims(c => c["iat"] = Now.AddMinutes(10).ToUnixTimeSeconds()), null);
            case "unknown kid after refetch": return (_idp.Sign(Claims(), kid: "never-published"), null);
            case "tampered payload":
            {
                var parts = Good().Split('.');
                return ($"{parts[0]}.{B64(Claims().ToJsonString().Replace("user-1", "admin", StringComparison.Ordinal))}.{parts[2]}", null);
            }

            case "tampered signature byte": return (FlipSignatureByte(Good()), null);
            case "kid swapped to the EC key":
            {
                var parts = Good().Split('.');
                return ($"{B64("""{"alg":"RS256","kid":"ec-1"}""")}.{parts[1]}.{parts[2]}", null);
            }

            case "token from a second IdP not configured": return (_attacker.Sign(TestJwt.Claims(_unconfigured.Issuer, Audience, Now, nonce: null)), null);
            case "configured iss signed by an attacker EC key":
                return (_attacker.Sign(Claims(), "ES256"), null);

            case "configured iss signed by an attacker key with the real kid": return (_attacker.Sign(Claims(), kid: "rsa-1"), null);
            case "missing sub": return (WithClaims(c => c.Remove("sub")), null);
            case "missing exp": return (WithClaims(c => c.Remove("exp")), null);
            case "exp as a string": return (WithClaims(c => c["exp"] = Now.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)), null);
            case "crit header":
            {
                var parts = Good().Split('.');
                return ($"{B64("""{"alg":"RS256","kid":"rsa-1","crit":["b64"],"b64":false}""")}.{parts[1]}.{parts[2]}", null);
            }

            case "JWE-shaped five parts": return (B64("""{"alg":"RSA-OAEP","enc":"A256GCM"}""") + ".a.b.c.d", null);
            case "oversize token": return (WithClaims(c => c["pad"] = new string('A', 20_000)), null);
            case "malformed base64url": return ("eyJ!!!.@@@.###", null);
            case "payload is a JSON array": return (B64("""{"alg":"RS256","kid":"rsa-1"}""") + "." + B64("[1,2]") + ".c2ln", null);
            case "several audiences with a foreign azp": return (WithClaims(c => { c["aud"] = new JsonArray(Audience, "api"); c["azp"] = "api"; }), null);
            case "ES256 with a DER signature":
            {
                var input = B64("""{"alg":"ES256","kid":"ec-1"}""") + "." + B64(Claims().ToJsonString());
                var der = _idp.Ec.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                return (input + "." + Base64Url.EncodeToString(der), null);
            }

            case "empty signature":
            {
                var parts = Good().Split('.');
                return ($"{parts[0]}.{parts[1]}.", null);
            }

            case "no credential at all": return (null, null);
            case "revoked API key":
            {
                var (key, text) = await _keys.CreateAsync("r", ApiKeyOwnerKind.User, "user-1", null, null, CancellationToken.None);
                await _keys.RevokeAsync(key.Id, CancellationToken.None);
                return (null, text);
            }

            case "expired API key":
            {
                var (_, text) = await _keys.CreateAsync("e", ApiKeyOwnerKind.User, "user-1", Now.AddMinutes(5), null, CancellationToken.None);
                _clock.Advance(TimeSpan.FromMinutes(6));
                return (text, null);
            }

            case "unknown API key of the right shape": return (ApiKeySecret.Create().Text, null);
            case "API key with one secret character changed":
            {
                var (_, text) = await _keys.CreateAsync("c", ApiKeyOwnerKind.User, "user-1", null, null, CancellationToken.None);
                return (null, text[..^1] + (text[^1] == 'A' ? 'B' : 'A'));
            }

            case "malformed API key": return (null, "bsk_short");
            case "oversize API key": return (null, "bsk_0123456789ab_" + new string('x', 5000));
            case "rotated-out API key":
            {
                var (key, text) = await _keys.CreateAsync("o", ApiKeyOwnerKind.Team, "ops", null, null, CancellationToken.None);
                await _keys.RotateAsync(key.Id, CancellationToken.None);
                return (null, text);
            }

            case "random opaque string": return ("sk-ant-api03-not-a-basalt-credential", null);
            default: throw new ArgumentOutOfRangeException(nameof(@case), @case, "no such hostile case");
        }
    }
}
