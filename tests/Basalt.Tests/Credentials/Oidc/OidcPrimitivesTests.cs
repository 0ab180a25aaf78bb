using Basalt.Credentials.Oidc;

namespace Basalt.Tests.Credentials.Oidc;

public sealed class OidcPrimitivesTests
{
    [Fact]
    public void Pkce_challenge_matches_the_rfc_7636_example()
    {
        // RFC 7636 Appendix B.
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    [Fact]
    public void Pkce_verifiers_are_43_url_safe_characters_and_unique()
    {
        var verifiers = Enumerable.Range(0, 50).Select(_ => Pkce.CreateVerifier()).ToList();

        Assert.All(verifiers, v => Assert.Matches("^[A-Za-z0-9_-]{43}$", v));
        Assert.Equal(50, verifiers.Distinct().Count());
    }

    [Theory]
    [InlineData("alice@example.com", "sub-1", "alice@example.com")]
    [InlineData("Alice.O'Neil+dev@example.com", "sub-1", "Alice.O-Neil+dev@example.com")]
    [InlineData("jürgen müller@example.de", "sub-1", "j-rgen-m-ller@example.de")]
    [InlineData(null, "00u1abcd", "00u1abcd")]
    [InlineData("", "auth0|5f3c", "auth0-5f3c")]
    [InlineData("!!!", "x", "oidc-x")]
    public void Role_session_name_is_the_sanitised_email_or_the_subject(string? email, string subject, string expected)
    {
        Assert.Equal(expected, RoleSessionName.From(email, subject));
    }

    [Fact]
    public void Role_session_name_is_at_most_64_characters()
    {
        var name = RoleSessionName.From(new string('a', 80) + "@example.com", "sub");

        Assert.Equal(64, name.Length);
        Assert.Matches(@"^[\w+=,.@-]{2,64}$", name);
    }

    [Fact]
    public void Session_state_round_trips_and_never_prints_its_tokens()
    {
        var state = new OidcSessionState
        {
            Issuer = "https://idp.example.com",
            ClientId = "c",
            RefreshToken = "refresh-secret-value",
            IdToken = "id-token-secret-value",
            IdTokenExpiresAt = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero),
            Subject = "user-1",
            Email = "u@example.com",
            UpdatedAt = new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero),
        };

        var copy = OidcSessionState.FromUtf8Json(state.ToUtf8Json());

        Assert.Equal(state, copy);
        Assert.DoesNotContain("secret", state.ToString(), StringComparison.Ordinal);
        Assert.True(copy!.BelongsTo("https://idp.example.com", "c"));
        Assert.False(copy.BelongsTo("https://idp.example.com/", "c"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"version\":2,\"issuer\":\"i\",\"clientId\":\"c\"}")]
    [InlineData("[1]")]
    [InlineData("{\"version\":1,\"issuer\":\"i\",\"clientId\":\"c\",\"idTokenExpiresAt\":\"tomorrow\"}")]
    public void Damaged_session_state_reads_as_not_signed_in(string json)
    {
        Assert.Null(OidcSessionState.FromUtf8Json(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData(null, null, null, null, true)]
    [InlineData("10.0.0.1 50000 10.0.0.2 22", null, ":0", null, true)]
    [InlineData(null, "/dev/pts/1", ":0", null, true)]
    [InlineData(null, null, ":0", null, false)]
    [InlineData(null, null, null, "wayland-0", false)]
    public void Auto_flow_uses_the_device_code_over_ssh_and_without_a_display(string? sshConnection, string? sshTty, string? display, string? wayland, bool device)
    {
        var env = new Dictionary<string, string?> { ["SSH_CONNECTION"] = sshConnection, ["SSH_TTY"] = sshTty, ["DISPLAY"] = display, ["WAYLAND_DISPLAY"] = wayland };

        var flow = OidcFlowSelector.Resolve(OidcFlow.Auto, OidcProviderPreset.Okta, k => env.GetValueOrDefault(k));

        Assert.Equal(device ? OidcFlow.Device : OidcFlow.Browser, flow);
    }

    [Fact]
    public void Configured_flow_wins_and_cognito_never_gets_the_device_flow_automatically()
    {
        string? Ssh(string k) => k == "SSH_CONNECTION" ? "1 2 3 4" : null;

        Assert.Equal(OidcFlow.Browser, OidcFlowSelector.Resolve(OidcFlow.Browser, OidcProviderPreset.Okta, Ssh));
        Assert.Equal(OidcFlow.Browser, OidcFlowSelector.Resolve(OidcFlow.Auto, OidcProviderPreset.Cognito, Ssh));
    }
}
