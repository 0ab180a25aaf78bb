using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Identity.ApiKeys;
using Basalt.Testing.Identity;

namespace Basalt.Gateway.Tests.Identity;

/// <summary>
/// The hostile suite (issue 9, "Done when"), through the real gateway host: every case is a credential an attacker
/// or a broken client could send on <c>POST /v1/messages</c> to a gateway configured with two OIDC issuers and
/// managed keys (<see cref="IdentityGateway"/>). Each must be answered 401 <c>authentication_error</c> in
/// Anthropic's shape with no upstream call (the emulator's request log does not grow) and without the credential
/// in the answer. A control case proves the same gateway serves good credentials of every kind, so the refusals
/// are not an accident of setup.
/// </summary>
public sealed class HostileAuthenticationTests(IdentityGateway gateway) : IClassFixture<IdentityGateway>
{
    private const string Audience = IdentityGateway.Audience;
    private const string OtherAudience = IdentityGateway.OtherAudience;

    private DateTimeOffset Now => gateway.Now;

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
    public async Task Hostile_credential_is_refused_with_401_and_no_upstream_call(string @case)
    {
        var (bearer, apiKey) = await CredentialFor(@case);
        var before = gateway.UpstreamCalls;

        var (status, body) = await gateway.MessageAsync(bearer, apiKey);

        Assert.Equal(401, status);
        Assert.Equal("error", (string?)body["type"]);
        Assert.Equal("authentication_error", (string?)body["error"]!["type"]);
        var message = (string?)body["error"]!["message"];
        Assert.False(string.IsNullOrEmpty(message));
        foreach (var secret in new[] { bearer, apiKey }.Where(s => s is { Length: > 20 }))
        {
            Assert.DoesNotContain(secret!, body.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, gateway.UpstreamCalls);
    }

    [Fact]
    public void The_suite_has_at_least_thirty_cases() => Assert.True(Cases.Count >= 30, $"{Cases.Count} cases");

    [Fact]
    public async Task Control_good_credentials_of_every_kind_reach_the_model()
    {
        var (_, keyText) = await gateway.Keys.CreateAsync("ok", ApiKeyOwnerKind.User, "user-1", null, null, CancellationToken.None);
        var second = TestJwt.Claims(gateway.Second.Issuer, OtherAudience, Now, nonce: null);
        second["groups"] = new JsonArray("limited");

        foreach (var (bearer, apiKey) in new[] { (Good(), (string?)null), (gateway.Idp.Sign(Claims(), "ES256"), null), (gateway.OtherIdp.Sign(second), null), (null, keyText) })
        {
            var before = gateway.UpstreamCalls;
            var (status, body) = await gateway.MessageAsync(bearer, apiKey);
            Assert.True(status == 200, body.ToJsonString());
            Assert.True(gateway.UpstreamCalls > before);
        }
    }

    private JsonObject Claims() => gateway.Claims();

    private string Good() => gateway.Idp.Sign(Claims());

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string Unsigned(string header, JsonObject claims) => B64(header) + "." + B64(claims.ToJsonString()) + ".";

    private string WithClaims(Action<JsonObject> change)
    {
        var claims = Claims();
        change(claims);
        return gateway.Idp.Sign(claims);
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
        var modulus = gateway.Idp.Rsa.ExportParameters(false).Modulus!;
        switch (@case)
        {
            case "alg none": return (Unsigned("""{"alg":"none","typ":"JWT"}""", Claims()) + B64("x"), null);
            case "alg none without a signature part": return (Unsigned("""{"alg":"none"}""", Claims()), null);
            case "alg None (case variant)": return (Unsigned("""{"alg":"None","kid":"rsa-1"}""", Claims()), null);
            case "HS256 signed with the JWKS as secret": return (Hmac("HS256", Encoding.UTF8.GetBytes(gateway.Idp.JwksJson())), null);
            case "HS256 signed with the RSA modulus as secret": return (Hmac("HS256", modulus), null);
            case "HS512": return (Hmac("HS512", modulus), null);
            case "RS384 (not allowed)": return (gateway.Idp.Sign(Claims(), "RS384"), null);
            case "wrong iss (not configured)": return (WithClaims(c => c["iss"] = "https://evil.example.com"), null);
            case "iss with a trailing path": return (WithClaims(c => c["iss"] = gateway.Issuer.Issuer + "/tenant"), null);
            case "wrong aud": return (WithClaims(c => c["aud"] = "some-other-app"), null);
            case "aud of the other configured issuer": return (WithClaims(c => c["aud"] = OtherAudience), null);
            case "no aud": return (WithClaims(c => c.Remove("aud")), null);
            case "expired": return (gateway.Idp.Sign(TestJwt.Claims(gateway.Issuer.Issuer, Audience, Now.AddHours(-2), nonce: null)), null);
            case "expired beyond the skew by one minute": return (WithClaims(c => c["exp"] = Now.AddMinutes(-3).ToUnixTimeSeconds()), null);
            case "nbf in the future": return (WithClaims(c => c["nbf"] = Now.AddMinutes(10).ToUnixTimeSeconds()), null);
            case "iat in the future": return (WithClaims(c => c["iat"] = Now.AddMinutes(10).ToUnixTimeSeconds()), null);
            case "unknown kid after refetch": return (gateway.Idp.Sign(Claims(), kid: "never-published"), null);
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

            case "token from a second IdP not configured": return (gateway.Attacker.Sign(TestJwt.Claims(gateway.Unconfigured.Issuer, Audience, Now, nonce: null)), null);
            case "configured iss signed by an attacker EC key":
                return (gateway.Attacker.Sign(Claims(), "ES256"), null);

            case "configured iss signed by an attacker key with the real kid": return (gateway.Attacker.Sign(Claims(), kid: "rsa-1"), null);
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
                var der = gateway.Idp.Ec.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
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
                var (key, text) = await gateway.Keys.CreateAsync("r", ApiKeyOwnerKind.User, "user-1", null, null, CancellationToken.None);
                await gateway.Keys.RevokeAsync(key.Id, CancellationToken.None);
                return (null, text);
            }

            case "expired API key":
            {
                var (key, text) = await gateway.Keys.CreateAsync("e", ApiKeyOwnerKind.User, "user-1", null, null, CancellationToken.None);
                await gateway.Keys.ExpireAsync(key.Id, DateTimeOffset.UtcNow.AddSeconds(-1), CancellationToken.None);
                return (text, null);
            }

            case "unknown API key of the right shape": return (ApiKeySecret.Create().Text, null);
            case "API key with one secret character changed":
            {
                var (_, text) = await gateway.Keys.CreateAsync("c", ApiKeyOwnerKind.User, "user-1", null, null, CancellationToken.None);
                return (null, text[..^1] + (text[^1] == 'A' ? 'B' : 'A'));
            }

            case "malformed API key": return (null, "bsk_short");
            case "oversize API key": return (null, "bsk_0123456789ab_" + new string('x', 5000));
            case "rotated-out API key":
            {
                var (key, text) = await gateway.Keys.CreateAsync("o", ApiKeyOwnerKind.Team, "ops", null, null, CancellationToken.None);
                await gateway.Keys.RotateAsync(key.Id, CancellationToken.None);
                return (null, text);
            }

            case "random opaque string": return ("sk-ant-api03-not-a-basalt-credential", null);
            default: throw new ArgumentOutOfRangeException(nameof(@case), @case, "no such hostile case");
        }
    }
}
