using Basalt.Emulator.Identity;
using Basalt.Emulator.Options;

namespace Basalt.Emulator.IdentityCenter;

/// <summary>
/// IAM Identity Center state: registered clients, device authorizations and signed-in sessions. One lock keeps
/// every state change (poll, approve, redeem, refresh, logout) atomic.
/// </summary>
internal sealed class IdentityCenterStore(IdentityCenterOptions options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OidcClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceAuthorization> _byDeviceCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceAuthorization> _byUserCode = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IdentityCenterSession> _byAccessToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdentityCenterSession> _byRefreshToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);

    /// <summary>How long an authorization code from <c>/authorize</c> may be redeemed (RFC 6749 §4.1.2: short, single use).</summary>
    public static readonly TimeSpan AuthorizationCodeLifetime = TimeSpan.FromMinutes(5);

    public IdentityCenterOptions Options { get; } = options;

    public OidcClient Register(string clientName, IReadOnlyList<string> scopes, IReadOnlyList<string> grantTypes, IReadOnlyList<string>? redirectUris = null)
    {
        var now = WholeSeconds(time.GetUtcNow());
        var client = new OidcClient(CredentialMaterial.Token(16), CredentialMaterial.Token(192), clientName, scopes, grantTypes, now, now + Options.ClientRegistrationLifetime)
        {
            RedirectUris = redirectUris ?? [],
        };
        lock (_gate)
        {
            _clients[client.ClientId] = client;
        }

        return client;
    }

    /// <summary>The registered, unexpired client with this id (the <c>/authorize</c> page has no secret to check).</summary>
    public OidcClient? FindClient(string? clientId)
    {
        lock (_gate)
        {
            return clientId is not null && _clients.TryGetValue(clientId, out var client) && time.GetUtcNow() < client.ExpiresAt ? client : null;
        }
    }

    /// <summary>A single-use code for <paramref name="userName"/>, bound to the client, redirect URI and PKCE challenge of the request.</summary>
    public string IssueCode(OidcClient client, string redirectUri, string codeChallenge, string userName)
    {
        var code = CredentialMaterial.Token(48);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var expired in _codes.Where(c => c.Value.ExpiresAt <= now).Select(c => c.Key).ToList())
            {
                _codes.Remove(expired);
            }

            _codes[code] = new AuthorizationCode(client.ClientId, redirectUri, codeChallenge, userName, now + AuthorizationCodeLifetime);
        }

        return code;
    }

    /// <summary>
    /// CreateToken with <c>authorization_code</c>: the code is removed whatever happens (single use, RFC 6749 §4.1.2),
    /// then it must be this client's, unexpired, for the same redirect URI (§4.1.3), and the verifier must hash to the
    /// challenge (RFC 7636 §4.6). Null: <c>invalid_grant</c>.
    /// </summary>
    public IdentityCenterSession? RedeemCode(OidcClient client, string code, string? redirectUri, string? codeVerifier)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_codes.Remove(code, out var issued) || issued.ClientId != client.ClientId || now >= issued.ExpiresAt
                || !string.Equals(issued.RedirectUri, redirectUri, StringComparison.Ordinal)
                || codeVerifier is not { Length: >= 43 and <= 128 }
                || !string.Equals(S256(codeVerifier), issued.CodeChallenge, StringComparison.Ordinal))
            {
                return null;
            }

            return IssueLocked(client, issued.UserName, now);
        }
    }

    /// <summary>The client when the id and secret match and the registration has not expired.</summary>
    public OidcClient? AuthenticateClient(string? clientId, string? clientSecret)
    {
        lock (_gate)
        {
            return clientId is not null && _clients.TryGetValue(clientId, out var client)
                && string.Equals(client.ClientSecret, clientSecret, StringComparison.Ordinal)
                && time.GetUtcNow() < client.ExpiresAt
                ? client
                : null;
        }
    }

    public DeviceAuthorization StartDeviceAuthorization(OidcClient client, string? startUrl)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            string userCode;
            do
            {
                userCode = CredentialMaterial.UserCode();
            }
            while (_byUserCode.ContainsKey(userCode));

            var authorization = new DeviceAuthorization(CredentialMaterial.Token(64), userCode, client.ClientId, startUrl, now, now + Options.DeviceCodeLifetime, Options.PollInterval);
            _byDeviceCode[authorization.DeviceCode] = authorization;
            _byUserCode[userCode] = authorization;
            return authorization;
        }
    }

    public DeviceAuthorization? FindByUserCode(string userCode)
    {
        lock (_gate)
        {
            return _byUserCode.TryGetValue(userCode.Trim(), out var a) ? a : null;
        }
    }

    /// <summary>Snapshot of all device authorizations (tests wait for a client to start polling).</summary>
    public IReadOnlyList<DeviceAuthorization> DeviceAuthorizations()
    {
        lock (_gate)
        {
            return [.. _byDeviceCode.Values];
        }
    }

    /// <summary>Approves or denies a pending, unexpired sign-in on behalf of <paramref name="userName"/>.</summary>
    public ApprovalOutcome Decide(string userCode, string userName, bool approve)
    {
        lock (_gate)
        {
            if (!_byUserCode.TryGetValue(userCode.Trim(), out var authorization))
            {
                return ApprovalOutcome.UnknownCode;
            }

            if (time.GetUtcNow() >= authorization.ExpiresAt)
            {
                return ApprovalOutcome.Expired;
            }

            if (authorization.State != DeviceAuthorizationState.Pending)
            {
                return ApprovalOutcome.AlreadyDecided;
            }

            authorization.State = approve ? DeviceAuthorizationState.Approved : DeviceAuthorizationState.Denied;
            authorization.UserName = userName;
            return approve ? ApprovalOutcome.Approved : ApprovalOutcome.Denied;
        }
    }

    /// <summary>
    /// One CreateToken poll with a device code (RFC 8628 §3.4–3.5): redeemed/unknown → invalid grant, past its
    /// lifetime → expired, sooner than the interval after the previous poll → slow_down, then the user's decision.
    /// </summary>
    public (PollOutcome Outcome, IdentityCenterSession? Session) Poll(OidcClient client, string deviceCode)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_byDeviceCode.TryGetValue(deviceCode, out var authorization) || authorization.ClientId != client.ClientId
                || authorization.State == DeviceAuthorizationState.Redeemed)
            {
                return (PollOutcome.InvalidGrant, null);
            }

            if (now >= authorization.ExpiresAt)
            {
                return (PollOutcome.Expired, null);
            }

            var previous = authorization.LastPollAt;
            authorization.LastPollAt = now;
            authorization.Polls++;
            if (previous is { } last && now - last < authorization.Interval)
            {
                authorization.SlowDowns++;
                return (PollOutcome.SlowDown, null);
            }

            switch (authorization.State)
            {
                case DeviceAuthorizationState.Pending:
                    return (PollOutcome.Pending, null);
                case DeviceAuthorizationState.Denied:
                    return (PollOutcome.Denied, null);
                default:
                    authorization.State = DeviceAuthorizationState.Redeemed;
                    return (PollOutcome.Issued, IssueLocked(client, authorization.UserName!, now));
            }
        }
    }

    /// <summary>Exchanges a refresh token for a new session, revoking the old one (rotation).</summary>
    public IdentityCenterSession? Refresh(OidcClient client, string refreshToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_byRefreshToken.TryGetValue(refreshToken, out var session) || session.ClientId != client.ClientId || session.Revoked || now >= session.RefreshExpiresAt)
            {
                return null;
            }

            session.Revoked = true;
            _byRefreshToken.Remove(refreshToken);
            return IssueLocked(client, session.UserName, now);
        }
    }

    /// <summary>The session of a live access token (not expired, not logged out).</summary>
    public IdentityCenterSession? FindSession(string? accessToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return null;
        }

        lock (_gate)
        {
            return _byAccessToken.TryGetValue(accessToken, out var s) && !s.Revoked && time.GetUtcNow() < s.AccessExpiresAt ? s : null;
        }
    }

    public void Logout(IdentityCenterSession session)
    {
        lock (_gate)
        {
            session.Revoked = true;
            if (session.RefreshToken is not null)
            {
                _byRefreshToken.Remove(session.RefreshToken);
            }
        }
    }

    private IdentityCenterSession IssueLocked(OidcClient client, string userName, DateTimeOffset now)
    {
        now = WholeSeconds(now);
        var session = new IdentityCenterSession(
            "aoa" + CredentialMaterial.Token(144),
            client.GetsRefreshTokens ? "aor" + CredentialMaterial.Token(144) : null,
            client.ClientId,
            userName,
            now + Options.AccessTokenLifetime,
            now + Options.RefreshTokenLifetime);
        _byAccessToken[session.AccessToken] = session;
        if (session.RefreshToken is not null)
        {
            _byRefreshToken[session.RefreshToken] = session;
        }

        return session;
    }

    private sealed record AuthorizationCode(string ClientId, string RedirectUri, string CodeChallenge, string UserName, DateTimeOffset ExpiresAt);

    /// <summary>RFC 7636 §4.2: <c>BASE64URL(SHA256(ASCII(code_verifier)))</c>.</summary>
    private static string S256(string verifier) => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));

    private static DateTimeOffset WholeSeconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());
}
