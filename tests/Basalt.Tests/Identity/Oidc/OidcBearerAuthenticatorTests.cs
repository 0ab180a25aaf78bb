using Basalt.Testing.Identity;
using System.Text.Json.Nodes;
using Basalt.Identity;
using Basalt.Identity.Groups;
using Basalt.Identity.Jwt;
using Basalt.Identity.Oidc;

namespace Basalt.Tests.Identity.Oidc;

public sealed class OidcBearerAuthenticatorTests : IDisposable
{
    private const string Audience = "gateway-client";
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly TestJwt _jwt = new();
    private readonly LoopbackIssuer _issuer;
    private readonly ManualClock _clock = new(Start);
    private readonly HttpClient _http = new();

    public OidcBearerAuthenticatorTests() => _issuer = new LoopbackIssuer(_jwt.JwksJson());

    public void Dispose()
    {
        _issuer.Dispose();
        _http.Dispose();
        _jwt.Dispose();
    }

    private OidcBearerAuthenticator Authenticator(GroupMapping? groups = null) => new(
        [new OidcIssuerOptions { Issuer = _issuer.Issuer, Audiences = [Audience], ClientId = Audience, Groups = groups ?? GroupMapping.None, CostCentreClaim = "cost_centre" }],
        _http, _clock);

    private JsonObject Claims(TimeSpan? lifetime = null) => TestJwt.Claims(_issuer.Issuer, Audience, _clock.GetUtcNow(), nonce: null, lifetime);

    private static Task<AuthenticationResult> Authenticate(OidcBearerAuthenticator authenticator, string token)
        => authenticator.AuthenticateAsync(new AuthenticationRequest(token, null, "/v1/messages"), CancellationToken.None).AsTask();

    [Fact]
    public async Task Token_from_the_configured_issuer_becomes_a_principal_keyed_on_oid_with_mapped_groups()
    {
        var claims = Claims();
        claims["oid"] = "00000000-0000-0000-0000-0000000000a1";
        claims["name"] = "Alice Example";
        claims["groups"] = new JsonArray("eng-object-id", "design");
        claims["cost_centre"] = "CC-42";
        var groups = new GroupMapping { IdpGroups = new Dictionary<string, string> { ["eng-object-id"] = "engineering" } };

        var result = await Authenticate(Authenticator(groups), _jwt.Sign(claims));

        Assert.Equal(AuthenticationOutcome.Authenticated, result.Outcome);
        var principal = result.Principal!;
        Assert.Equal("00000000-0000-0000-0000-0000000000a1", principal.UserId);
        Assert.Equal("Alice Example", principal.DisplayName);
        Assert.Equal("user@example.com", principal.Email);
        Assert.Equal(["design", "engineering"], principal.Groups);
        Assert.Equal(AuthenticationMethod.OidcBearer, principal.Method);
        Assert.Equal("CC-42", principal.CostCentre);
        Assert.StartsWith("sha256:", principal.CredentialId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_oid_the_user_id_is_sub_never_the_email()
    {
        var result = await Authenticate(Authenticator(), _jwt.Sign(Claims(), "ES256"));

        Assert.Equal("user-1", result.Principal!.UserId);
    }

    [Fact]
    public async Task A_known_token_is_answered_from_the_cache_until_it_expires()
    {
        var authenticator = Authenticator();
        var token = _jwt.Sign(Claims(TimeSpan.FromMinutes(10)));

        var first = await Authenticate(authenticator, token);
        var second = await Authenticate(authenticator, token);
        _clock.Advance(TimeSpan.FromMinutes(10) + JwtExpectations.DefaultClockSkew);
        var expired = await Authenticate(authenticator, token);

        Assert.Same(first, second);
        Assert.Equal(1, _issuer.JwksRequests);
        Assert.Equal(AuthenticationOutcome.Rejected, expired.Outcome);
    }

    [Fact]
    public async Task Rotated_keys_are_fetched_once_and_a_flood_of_unknown_kids_does_not_hammer_the_idp()
    {
        var authenticator = Authenticator();
        Assert.Equal(AuthenticationOutcome.Authenticated, (await Authenticate(authenticator, _jwt.Sign(Claims()))).Outcome);

        // The IdP publishes the new keys; tokens signed with them arrive after the refetch interval.
        using var next = new TestJwt();
        _issuer.Jwks = next.JwksJson();
        _clock.Advance(TimeSpan.FromSeconds(31));
        var rotated = await Authenticate(authenticator, next.Sign(Claims()));
        for (var i = 0; i < 20; i++)
        {
            var forged = await Authenticate(authenticator, next.Sign(Claims(), kid: "random-" + i));
            Assert.Equal(AuthenticationOutcome.Rejected, forged.Outcome);
        }

        Assert.Equal(AuthenticationOutcome.Authenticated, rotated.Outcome);
        Assert.Equal(2, _issuer.JwksRequests);
    }

    [Fact]
    public async Task Tokens_of_other_issuers_and_non_jwts_are_left_to_the_next_authenticator()
    {
        var claims = Claims();
        claims["iss"] = "https://other-idp.example.com";

        Assert.Equal(AuthenticationOutcome.NotRecognised, (await Authenticate(Authenticator(), _jwt.Sign(claims))).Outcome);
        Assert.Equal(AuthenticationOutcome.NotRecognised, (await Authenticate(Authenticator(), "bsk_0123456789ab_secret")).Outcome);
    }

    [Fact]
    public async Task Unreachable_issuer_is_refused_with_a_reason_that_names_it()
    {
        using var http = new HttpClient();
        var authenticator = new OidcBearerAuthenticator([new OidcIssuerOptions { Issuer = "http://127.0.0.1:9", Audiences = [Audience] }], http, _clock);
        var claims = Claims();
        claims["iss"] = "http://127.0.0.1:9";

        var result = await Authenticate(authenticator, _jwt.Sign(claims));

        Assert.Equal(AuthenticationOutcome.Rejected, result.Outcome);
        Assert.Contains("http://127.0.0.1:9", result.Reason, StringComparison.Ordinal);
    }
}
