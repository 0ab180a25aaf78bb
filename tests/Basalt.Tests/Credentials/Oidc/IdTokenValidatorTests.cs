using System.Text.Json.Nodes;
using Basalt.Credentials.Oidc;
using Basalt.Tests.Credentials.Oidc.Support;

namespace Basalt.Tests.Credentials.Oidc;

public sealed class IdTokenValidatorTests : IDisposable
{
    private const string Issuer = "https://idp.example.com";
    private const string ClientId = "client-1";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TestJwt _jwt = new();

    public void Dispose() => _jwt.Dispose();

    private JsonWebKeySet Keys => JsonWebKeySet.Parse(TestJwt.Parse(_jwt.JwksJson()));

    private static IdTokenExpectations Expect(string? nonce = "n-1", DateTimeOffset? now = null)
        => new(Issuer, ClientId, ClientId, nonce, now ?? Now, IdTokenExpectations.DefaultClockSkew);

    private IdTokenValidation Validate(string token, IdTokenExpectations? expect = null) => IdTokenValidator.Validate(token, expect ?? Expect(), Keys);

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    public void Token_signed_by_a_jwks_key_is_accepted_with_its_claims(string alg)
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now), alg));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal("user-1", result.Claims!.Subject);
        Assert.Equal("user@example.com", result.Claims.Email);
        Assert.Equal(Now.AddHours(1), result.Claims.ExpiresAt);
        Assert.DoesNotContain(result.Claims.RawToken, result.Claims.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Altered_payload_fails_the_signature_check()
    {
        var token = _jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now));
        var parts = token.Split('.');
        var forged = _jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now).Also(c => c["sub"] = "admin")).Split('.')[1];

        var result = Validate($"{parts[0]}.{forged}.{parts[2]}");

        Assert.Equal(IdTokenFailure.BadSignature, result.Failure);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    public void Unsigned_and_hmac_tokens_are_refused(string alg)
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now), alg));

        Assert.Equal(IdTokenFailure.UnsupportedAlgorithm, result.Failure);
    }

    [Fact]
    public void Key_id_missing_from_jwks_is_reported_as_unknown_key_so_the_caller_refetches()
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now), kid: "rotated-2"));

        Assert.Equal(IdTokenFailure.UnknownKey, result.Failure);
        Assert.Contains("rotated-2", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encryption_keys_in_the_jwks_are_not_used_for_signatures()
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now), kid: "enc-1"));

        Assert.Equal(IdTokenFailure.UnknownKey, result.Failure);
    }

    [Fact]
    public void Token_from_another_issuer_is_rejected()
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims("https://sts.windows.net/tenant/", ClientId, Now)));

        Assert.Equal(IdTokenFailure.WrongIssuer, result.Failure);
        Assert.Contains("https://sts.windows.net/tenant/", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_for_another_audience_is_rejected()
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims(Issuer, "other-app", Now)));

        Assert.Equal(IdTokenFailure.WrongAudience, result.Failure);
        Assert.Contains("other-app", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_audiences_need_azp_to_be_this_client()
    {
        var claims = TestJwt.Claims(Issuer, ClientId, Now);
        claims["aud"] = new JsonArray(ClientId, "api");
        claims["azp"] = "api";

        Assert.Equal(IdTokenFailure.WrongAudience, Validate(_jwt.Sign(claims)).Failure);

        claims["azp"] = ClientId;
        Assert.True(Validate(_jwt.Sign(claims)).IsValid);
    }

    [Fact]
    public void Expiry_is_checked_with_a_small_clock_skew()
    {
        var token = _jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now, lifetime: TimeSpan.FromMinutes(10)));

        Assert.True(Validate(token, Expect(now: Now.AddMinutes(11))).IsValid);
        var late = Validate(token, Expect(now: Now.AddMinutes(13)));
        Assert.Equal(IdTokenFailure.Expired, late.Failure);
        Assert.Contains("clock", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_issued_in_the_future_beyond_the_skew_points_at_the_system_clock()
    {
        var claims = TestJwt.Claims(Issuer, ClientId, Now.AddMinutes(10));

        var result = Validate(_jwt.Sign(claims));
        Assert.Equal(IdTokenFailure.NotYetValid, result.Failure);
        Assert.Contains("system clock", result.Message, StringComparison.Ordinal);

        Assert.True(Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now.AddMinutes(1)))).IsValid);
    }

    [Fact]
    public void Not_before_in_the_future_is_rejected()
    {
        var claims = TestJwt.Claims(Issuer, ClientId, Now);
        claims["nbf"] = Now.AddMinutes(30).ToUnixTimeSeconds();

        Assert.Equal(IdTokenFailure.NotYetValid, Validate(_jwt.Sign(claims)).Failure);
    }

    [Fact]
    public void Nonce_must_match_the_sign_in_but_is_not_required_after_a_refresh()
    {
        var token = _jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now, nonce: "n-1"));

        Assert.Equal(IdTokenFailure.NonceMismatch, Validate(token, Expect(nonce: "n-2")).Failure);
        Assert.True(Validate(token, Expect(nonce: null)).IsValid);
        Assert.Equal(IdTokenFailure.NonceMismatch, Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now, nonce: null))).Failure);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.###.$$$")]
    public void Malformed_tokens_are_rejected_without_throwing(string token)
    {
        Assert.Equal(IdTokenFailure.Malformed, Validate(token).Failure);
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
