using System.Net;
using System.Net.Sockets;
using Basalt.Credentials;
using Basalt.Credentials.Oidc;
using Basalt.Testing;
using Basalt.Tests.Credentials.Oidc.Support;

namespace Basalt.Tests.Credentials.Oidc;

/// <summary>
/// Sign-in against a real OpenID Connect provider (oidc-provider v9 in tests/interop/oidc/idp.mjs), with the
/// browser played by tests/interop/oidc/browser.mjs through <c>$BROWSER</c>: everything up to the STS call.
/// </summary>
public sealed class OidcSignInTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    internal static OidcSourceSettings Settings(string issuer, string clientId = TestIdp.RsaClientId, OidcFlow flow = OidcFlow.Browser, int redirectPort = 0, string? audience = null, Uri? sts = null)
        => new()
        {
            Issuer = issuer,
            ClientId = clientId,
            Scopes = ["openid", "email", "offline_access"],
            RoleArn = "arn:aws:iam::111122223333:role/BedrockUsers",
            Region = "us-east-1",
            RedirectPort = redirectPort,
            Flow = flow,
            Audience = audience,
            StsEndpoint = sts,
        };

    internal static OidcRuntime Runtime(Dictionary<string, string?>? environment = null, TimeProvider? time = null)
    {
        var env = environment ?? new Dictionary<string, string?> { ["BROWSER"] = TestIdp.BrowserCommand("--login", "alice") };
        return new OidcRuntime
        {
            Environment = k => env.GetValueOrDefault(k),
            Time = time ?? TimeProvider.System,
            MetadataCache = new OidcMetadataCache(time ?? TimeProvider.System),
            SignInTimeout = TimeSpan.FromSeconds(60),
        };
    }

    private static CredentialRequest Interactive(RecordingLog log) => new(CredentialContext.Interactive, log);

    private static CredentialRequest Silent(RecordingLog log) => new(CredentialContext.MidSessionRefresh, log);

    [Theory]
    [InlineData(TestIdp.RsaClientId)]
    [InlineData(TestIdp.EcClientId)]
    public async Task Browser_sign_in_with_pkce_yields_a_verified_id_token_and_stores_the_refresh_token(string clientId)
    {
        await using var idp = await TestIdp.StartAsync();
        var store = new MemorySessionStore();
        var log = new RecordingLog();
        using var source = new OidcCredentialSource(Settings(idp.Issuer, clientId), store, Runtime());

        var token = await source.GetIdTokenAsync(Interactive(log), useCachedIdToken: true, CancellationToken.None).WaitAsync(Generous);

        Assert.Equal("alice", token.Subject);
        Assert.Equal("Alice.O'Neil+dev@example.com", token.Email);
        Assert.False(token.FromCache);
        var state = store.Current!;
        Assert.Equal(idp.Issuer, state.Issuer);
        Assert.Equal(clientId, state.ClientId);
        Assert.NotNull(state.RefreshToken);
        Assert.Equal(token.IdToken, state.IdToken);
        Assert.True(state.IdTokenExpiresAt > DateTimeOffset.UtcNow.AddMinutes(50));
        Assert.Contains("Signed in to " + idp.Issuer + " as Alice.O'Neil+dev@example.com", log.Text, StringComparison.Ordinal);

        // Codes, the PKCE verifier and every token the IdP issued: none of them in the log.
        var secrets = idp.RecordedSecrets();
        Assert.True(secrets.Count >= 5, $"the IdP recorded only {secrets.Count} secrets");
        log.AssertContainsNone(secrets);
    }

    [Fact]
    public async Task Refresh_token_is_the_silent_path_and_rotates()
    {
        await using var idp = await TestIdp.StartAsync();
        var store = new MemorySessionStore();
        using var source = new OidcCredentialSource(Settings(idp.Issuer), store, Runtime());
        await source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None).WaitAsync(Generous);
        var first = store.Current!;

        // No browser available now: only the refresh grant can succeed.
        using var silentSource = new OidcCredentialSource(Settings(idp.Issuer), store, Runtime(new Dictionary<string, string?> { ["BROWSER"] = "/nonexistent/browser" }));
        var log = new RecordingLog();
        var token = await silentSource.GetIdTokenAsync(Silent(log), useCachedIdToken: false, CancellationToken.None);

        Assert.False(token.FromCache);
        Assert.Equal("alice", token.Subject);
        Assert.NotEqual(first.RefreshToken, store.Current!.RefreshToken);
        Assert.Equal(token.IdToken, store.Current.IdToken);
        log.AssertContainsNone(idp.RecordedSecrets());
    }

    [Fact]
    public async Task Cached_id_token_is_used_without_contacting_the_identity_provider()
    {
        var store = new MemorySessionStore();
        string issuer;
        await using (var idp = await TestIdp.StartAsync())
        {
            issuer = idp.Issuer;
            using var source = new OidcCredentialSource(Settings(issuer), store, Runtime());
            await source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None).WaitAsync(Generous);
        }

        using var offline = new OidcCredentialSource(Settings(issuer), store, Runtime());
        var token = await offline.GetIdTokenAsync(Silent(new RecordingLog()), useCachedIdToken: true, CancellationToken.None);

        Assert.True(token.FromCache);
        Assert.Equal(store.Current!.IdToken, token.IdToken);
    }

    [Fact]
    public async Task Revoked_refresh_token_fails_the_silent_path_and_a_full_sign_in_recovers()
    {
        await using var idp = await TestIdp.StartAsync();
        var store = new MemorySessionStore();
        using var source = new OidcCredentialSource(Settings(idp.Issuer), store, Runtime());
        await source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None).WaitAsync(Generous);
        await idp.RevokeAsync(store.Current!.RefreshToken!);

        var log = new RecordingLog();
        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Silent(log), useCachedIdToken: false, CancellationToken.None));

        Assert.True(e.NeedsInteractiveSignIn);
        Assert.Contains("mid-session refresh", e.Message, StringComparison.Ordinal);
        Assert.Contains("no longer valid (invalid_grant)", log.Text, StringComparison.Ordinal);
        Assert.Null(store.Current);

        var token = await source.GetIdTokenAsync(Interactive(log), useCachedIdToken: false, CancellationToken.None).WaitAsync(Generous);
        Assert.Equal("alice", token.Subject);
        Assert.NotNull(store.Current!.RefreshToken);
        log.AssertContainsNone(idp.RecordedSecrets());
    }

    [Fact]
    public async Task Expired_refresh_token_means_sign_in_again()
    {
        await using var idp = await TestIdp.StartAsync("--refresh-ttl", "2");
        var store = new MemorySessionStore();
        using var source = new OidcCredentialSource(Settings(idp.Issuer), store, Runtime());
        await source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None).WaitAsync(Generous);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(new CredentialRequest(CredentialContext.Background, new RecordingLog()), false, CancellationToken.None));

        Assert.True(e.NeedsInteractiveSignIn);
    }

    [Fact]
    public async Task Silent_request_without_a_session_fails_fast_without_network()
    {
        var log = new RecordingLog();
        using var source = new OidcCredentialSource(Settings($"http://127.0.0.1:{ClosedPort()}"), new MemorySessionStore(), Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(new CredentialRequest(CredentialContext.ScheduledTask, log), true, CancellationToken.None));

        Assert.True(e.NeedsInteractiveSignIn);
        Assert.Contains("scheduled task", e.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, log.Text);
    }

    [Fact]
    public async Task Device_code_is_chosen_over_ssh_and_completes_when_the_user_approves()
    {
        await using var idp = await TestIdp.StartAsync();
        var store = new MemorySessionStore();
        var log = new RecordingLog();
        var env = new Dictionary<string, string?> { ["SSH_CONNECTION"] = "10.0.0.5 50123 10.0.0.9 22", ["DISPLAY"] = ":0" };
        using var source = new OidcCredentialSource(Settings(idp.Issuer, flow: OidcFlow.Auto), store, Runtime(env));

        var signIn = source.GetIdTokenAsync(Interactive(log), true, CancellationToken.None);
        var prompt = await log.WaitForLineAsync(l => l.Contains("enter the code:", StringComparison.Ordinal));
        var complete = (await log.WaitForLineAsync(l => l.Contains("or open: ", StringComparison.Ordinal))).Split("or open: ")[1];
        var browser = await TestIdp.BrowseAsync(complete, "--login", "bob");
        var token = await signIn.WaitAsync(Generous);

        Assert.Contains($"open {idp.Issuer}/device on any device", prompt, StringComparison.Ordinal);
        Assert.Equal(0, browser.ExitCode);
        Assert.Contains("done Sign-in Success", browser.Stdout, StringComparison.Ordinal);
        Assert.Equal("bob", token.Subject);
        Assert.Null(token.Email);
        Assert.NotNull(store.Current!.RefreshToken);
        log.AssertContainsNone(idp.RecordedSecrets());
    }

    [Fact]
    public async Task Tampered_id_token_signature_is_rejected_and_nothing_is_stored()
    {
        await using var idp = await TestIdp.StartAsync("--tamper-id-token");
        var store = new MemorySessionStore();
        var log = new RecordingLog();
        using var source = new OidcCredentialSource(Settings(idp.Issuer), store, Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Interactive(log), true, CancellationToken.None).WaitAsync(Generous));

        Assert.Contains("signature does not verify", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Saves);
        log.AssertContainsNone(idp.RecordedSecrets());
        Assert.DoesNotContain(idp.RecordedSecrets(), s => e.Message.Contains(s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forged_state_on_the_redirect_fails_the_sign_in()
    {
        await using var idp = await TestIdp.StartAsync();
        var env = new Dictionary<string, string?> { ["BROWSER"] = TestIdp.BrowserCommand("--tamper-state") };
        var store = new MemorySessionStore();
        using var source = new OidcCredentialSource(Settings(idp.Issuer), store, Runtime(env));

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None).WaitAsync(Generous));

        Assert.Contains("state mismatch", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Saves);
    }

    [Fact]
    public async Task User_refusing_at_the_identity_provider_is_reported()
    {
        await using var idp = await TestIdp.StartAsync();
        var env = new Dictionary<string, string?> { ["BROWSER"] = TestIdp.BrowserCommand("--deny") };
        using var source = new OidcCredentialSource(Settings(idp.Issuer), new MemorySessionStore(), Runtime(env));

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None).WaitAsync(Generous));

        Assert.Contains("cancelled or refused", e.Message, StringComparison.Ordinal);
        Assert.Contains("access_denied", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Busy_redirect_port_names_the_port_and_the_setting()
    {
        await using var idp = await TestIdp.StartAsync();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        using var source = new OidcCredentialSource(Settings(idp.Issuer, redirectPort: port), new MemorySessionStore(), Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None));

        Assert.Contains($"port {port} on 127.0.0.1 is already in use", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"redirectPort\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Id_token_for_another_audience_is_rejected()
    {
        await using var idp = await TestIdp.StartAsync();
        var store = new MemorySessionStore();
        using var source = new OidcCredentialSource(Settings(idp.Issuer, audience: "api://other-app"), store, Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None).WaitAsync(Generous));

        Assert.Contains("audience 'basalt-native', not 'api://other-app'", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Saves);
    }

    [Theory]
    [InlineData(3, "expired")]
    [InlineData(-0.5, "not valid until")]
    public async Task Wrong_system_clock_is_named_as_the_cause(double hoursOff, string expected)
    {
        await using var idp = await TestIdp.StartAsync();
        var time = new ShiftedTimeProvider(TimeSpan.FromHours(hoursOff));
        using var source = new OidcCredentialSource(Settings(idp.Issuer), new MemorySessionStore(), Runtime(time: time));

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None).WaitAsync(Generous));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("clock", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identity_provider_down_gives_a_connection_refused_message()
    {
        var issuer = $"http://127.0.0.1:{ClosedPort()}";
        using var source = new OidcCredentialSource(Settings(issuer), new MemorySessionStore(), Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None));

        Assert.Contains($"could not reach the identity provider at {issuer} (connection refused)", e.Message, StringComparison.Ordinal);
        Assert.False(e.NeedsInteractiveSignIn);
    }

    [Fact]
    public async Task Identity_provider_down_during_a_silent_refresh_is_not_a_sign_in_problem()
    {
        var store = new MemorySessionStore();
        var issuer = $"http://127.0.0.1:{ClosedPort()}";
        store.Set(new OidcSessionState { Issuer = issuer, ClientId = TestIdp.RsaClientId, RefreshToken = "rt-value-1234", UpdatedAt = DateTimeOffset.UtcNow });
        using var source = new OidcCredentialSource(Settings(issuer), store, Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Silent(new RecordingLog()), true, CancellationToken.None));

        Assert.Contains("connection refused", e.Message, StringComparison.Ordinal);
        Assert.False(e.NeedsInteractiveSignIn);
        Assert.Equal("rt-value-1234", store.Current!.RefreshToken);
    }

    [Fact]
    public async Task Metadata_url_configured_as_issuer_fails_with_the_fix()
    {
        await using var idp = await TestIdp.StartAsync();
        using var source = new OidcCredentialSource(Settings(idp.Issuer + "/.well-known/openid-configuration"), new MemorySessionStore(), Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None));

        Assert.Contains($"Set issuer to '{idp.Issuer}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issuer_that_differs_from_the_discovery_document_is_named()
    {
        await using var idp = await TestIdp.StartAsync();
        using var source = new OidcCredentialSource(Settings(idp.Issuer.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)), new MemorySessionStore(), Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Interactive(new RecordingLog()), true, CancellationToken.None));

        Assert.Contains($"belongs to issuer '{idp.Issuer}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_of_another_client_is_ignored()
    {
        await using var idp = await TestIdp.StartAsync();
        var store = new MemorySessionStore();
        store.Set(new OidcSessionState
        {
            Issuer = idp.Issuer,
            ClientId = "some-other-client",
            RefreshToken = "rt-of-another-client",
            IdToken = "x.y.z",
            IdTokenExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
            Subject = "mallory",
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        using var source = new OidcCredentialSource(Settings(idp.Issuer), store, Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetIdTokenAsync(Silent(new RecordingLog()), true, CancellationToken.None));

        Assert.True(e.NeedsInteractiveSignIn);
    }

    internal static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
