using Basalt.Testing.Identity;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Identity.Jwt;

namespace Basalt.Tests.Identity.Jwt;

public sealed class JwtValidatorTests : IDisposable
{
    private const string Issuer = "https://idp.example.com";
    private const string ClientId = "client-1";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TestJwt _jwt = new();

    public void Dispose() => _jwt.Dispose();

    private SigningKeySet Keys => SigningKeySet.Parse(_jwt.JwksJson());

    private static JwtExpectations Expect(string? nonce = "n-1", DateTimeOffset? now = null)
        => new(Issuer, [ClientId], now ?? Now, JwtExpectations.DefaultClockSkew) { AuthorizedParty = ClientId, Nonce = nonce };

    private JwtValidation Validate(string token, JwtExpectations? expect = null)
        => JwtValidator.Validate(token, expect ?? Expect(), Keys);

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    [InlineData("PS256")]
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

        Assert.Equal(JwtFailure.BadSignature, result.Failure);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("RS384")]
    public void Unsigned_hmac_and_unlisted_algorithms_are_refused(string alg)
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now), alg));

        Assert.Equal(JwtFailure.UnsupportedAlgorithm, result.Failure);
    }

    [Fact]
    public void Hmac_signed_with_the_published_public_key_is_refused()
    {
        // The classic key-confusion forgery: the attacker uses the JWKS (public) as the HMAC secret.
        var forged = _jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now), "HS256", kid: "rsa-1", hmacKey: Encoding.UTF8.GetBytes(_jwt.JwksJson()));
        var evenIfAllowed = Expect() with { Algorithms = new HashSet<string>(["RS256", "HS256"], StringComparer.Ordinal) };

        Assert.Equal(JwtFailure.UnsupportedAlgorithm, Validate(forged).Failure);
        Assert.False(Validate(forged, evenIfAllowed).IsValid);
    }

    [Fact]
    public void Critical_header_extensions_are_refused()
    {
        var token = _jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now));
        var header = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"]}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(JwtFailure.UnsupportedAlgorithm, Validate(header + token[token.IndexOf('.', StringComparison.Ordinal)..]).Failure);
    }

    [Fact]
    public void Key_id_missing_from_jwks_is_reported_as_unknown_key_so_the_caller_refetches()
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now), kid: "rotated-2"));

        Assert.Equal(JwtFailure.UnknownKey, result.Failure);
        Assert.True(result.KeysMayBeStale);
        Assert.Contains("rotated-2", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encryption_keys_in_the_jwks_are_not_used_for_signatures()
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now), kid: "enc-1"));

        Assert.Equal(JwtFailure.UnknownKey, result.Failure);
    }

    [Fact]
    public void Token_from_another_issuer_is_rejected()
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims("https://sts.windows.net/tenant/", ClientId, Now)));

        Assert.Equal(JwtFailure.WrongIssuer, result.Failure);
        Assert.Contains("https://sts.windows.net/tenant/", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_for_another_audience_is_rejected()
    {
        var result = Validate(_jwt.Sign(TestJwt.Claims(Issuer, "other-app", Now)));

        Assert.Equal(JwtFailure.WrongAudience, result.Failure);
        Assert.Contains("other-app", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_audiences_need_azp_to_be_this_client()
    {
        var claims = TestJwt.Claims(Issuer, ClientId, Now);
        claims["aud"] = new JsonArray(ClientId, "api");
        claims["azp"] = "api";

        Assert.Equal(JwtFailure.WrongAudience, Validate(_jwt.Sign(claims)).Failure);

        claims["azp"] = ClientId;
        Assert.True(Validate(_jwt.Sign(claims)).IsValid);
    }

    [Fact]
    public void Expiry_is_checked_with_a_small_clock_skew()
    {
        var token = _jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now, lifetime: TimeSpan.FromMinutes(10)));

        Assert.True(Validate(token, Expect(now: Now.AddMinutes(11))).IsValid);
        var late = Validate(token, Expect(now: Now.AddMinutes(13)));
        Assert.Equal(JwtFailure.Expired, late.Failure);
        Assert.Contains("clock", late.Message, StringComparison.Ordinal);
        Assert.Equal(JwtFailure.Expired, Validate(token, Expect(now: Now.AddMinutes(11)) with { SkewExpiry = false }).Failure);
    }

    [Fact]
    public void Token_issued_in_the_future_beyond_the_skew_points_at_the_system_clock()
    {
        var claims = TestJwt.Claims(Issuer, ClientId, Now.AddMinutes(10));

        var result = Validate(_jwt.Sign(claims));
        Assert.Equal(JwtFailure.NotYetValid, result.Failure);
        Assert.Contains("system clock", result.Message, StringComparison.Ordinal);

        Assert.True(Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now.AddMinutes(1)))).IsValid);
    }

    [Fact]
    public void Not_before_in_the_future_is_rejected()
    {
        var claims = TestJwt.Claims(Issuer, ClientId, Now);
        claims["nbf"] = Now.AddMinutes(30).ToUnixTimeSeconds();

        Assert.Equal(JwtFailure.NotYetValid, Validate(_jwt.Sign(claims)).Failure);
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("exp")]
    public void Tokens_without_sub_or_exp_are_refused(string claim)
    {
        var claims = TestJwt.Claims(Issuer, ClientId, Now);
        claims.Remove(claim);

        var result = Validate(_jwt.Sign(claims));

        Assert.Equal(JwtFailure.MissingClaim, result.Failure);
        Assert.Contains(claim, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nonce_must_match_the_sign_in_but_is_not_required_after_a_refresh()
    {
        var token = _jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now, nonce: "n-1"));

        Assert.Equal(JwtFailure.NonceMismatch, Validate(token, Expect(nonce: "n-2")).Failure);
        Assert.True(Validate(token, Expect(nonce: null)).IsValid);
        Assert.Equal(JwtFailure.NonceMismatch, Validate(_jwt.Sign(TestJwt.Claims(Issuer, ClientId, Now, nonce: null))).Failure);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("a.b.c.d.e")]
    [InlineData("!!!.###.$$$")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.WzFd.c2ln")]
    [InlineData("..")]
    public void Malformed_tokens_are_rejected_without_throwing(string token)
    {
        Assert.Equal(JwtFailure.Malformed, Validate(token).Failure);
        Assert.Null(JwtValidator.ReadUnverified(token));
    }

    [Fact]
    public void Oversize_tokens_are_refused_before_parsing()
    {
        var claims = TestJwt.Claims(Issuer, ClientId, Now);
        claims["padding"] = new string('x', JwtValidator.MaxTokenLength);

        var result = Validate(_jwt.Sign(claims));

        Assert.Equal(JwtFailure.Malformed, result.Failure);
        Assert.Contains("characters long", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_never_quote_the_token()
    {
        var token = _jwt.Sign(TestJwt.Claims(Issuer, "other-app", Now));

        var result = Validate(token);

        Assert.DoesNotContain(token.Split('.')[2], result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_key_asks_the_key_source_for_one_refresh_and_then_verifies()
    {
        using var rotated = new TestJwt();
        var token = rotated.Sign(TestJwt.Claims(Issuer, ClientId, Now), kid: "rsa-1");
        var asked = new List<bool>();

        var result = await JwtValidator.ValidateAsync(token, Expect(), (refresh, _) =>
        {
            asked.Add(refresh);
            return ValueTask.FromResult(SigningKeySet.Parse(refresh ? rotated.JwksJson() : _jwt.JwksJson()));
        }, CancellationToken.None);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal([false, true], asked);
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
