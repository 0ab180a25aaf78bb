using System.Text;
using System.Text.Json;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// The two dashboard cookies: the session (<c>basalt_admin</c>, Path=/admin) and the short-lived sign-in state
/// (<c>basalt_admin_signin</c>, Path=/admin/auth) holding state, nonce and PKCE verifier between the redirect to the
/// IdP and its callback. Both sealed (<see cref="DashboardSealer"/>), HttpOnly, SameSite, Secure under https.
/// The session cookie is SameSite=Strict (no cross-site request carries it); the sign-in cookie must be Lax because
/// the callback is a top-level navigation coming from the IdP's site.
/// </summary>
internal sealed class DashboardCookies(DashboardSealer sealer, bool secure)
{
    public const string SessionName = "basalt_admin";
    public const string SignInName = "basalt_admin_signin";
    private const string SessionPurpose = "session";
    private const string SignInPurpose = "signin";

    public string SessionCookie(DashboardSession session, DateTimeOffset now)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new SessionPayload(session.Id, session.UserId, session.DisplayName, session.Email, session.RoleName, [.. session.Teams], session.IssuedAt.ToUnixTimeSeconds(), session.ExpiresAt.ToUnixTimeSeconds(), session.IdToken), DashboardJsonContext.Default.SessionPayload);
        var maxAge = (long)Math.Max(0, (session.ExpiresAt - now).TotalSeconds);
        return Cookie(SessionName, sealer.Seal(SessionPurpose, json), "/admin", maxAge, "Strict");
    }

    public string ClearSession() => Cookie(SessionName, string.Empty, "/admin", 0, "Strict");

    public DashboardSession? ReadSession(string? cookieHeader, DateTimeOffset now)
    {
        var plain = sealer.Open(SessionPurpose, Find(cookieHeader, SessionName));
        if (plain is null)
        {
            return null;
        }

        SessionPayload? p;
        try
        {
            p = JsonSerializer.Deserialize(plain, DashboardJsonContext.Default.SessionPayload);
        }
        catch (JsonException)
        {
            return null;
        }

        if (p is null || DateTimeOffset.FromUnixTimeSeconds(p.Exp) <= now)
        {
            return null;
        }

        var role = p.Role switch { "admin" => DashboardRole.Admin, "viewer" => DashboardRole.Viewer, _ => DashboardRole.TeamLead };
        return new DashboardSession(p.Sid, p.Sub, p.Name, p.Email, role, p.Teams ?? [], DateTimeOffset.FromUnixTimeSeconds(p.Iat), DateTimeOffset.FromUnixTimeSeconds(p.Exp), p.Idt);
    }

    public string SignInCookie(SignInState state) =>
        Cookie(SignInName, sealer.Seal(SignInPurpose, JsonSerializer.SerializeToUtf8Bytes(state, DashboardJsonContext.Default.SignInState)), "/admin/auth", 600, "Lax");

    public SignInState? ReadSignIn(string? cookieHeader, DateTimeOffset now)
    {
        var plain = sealer.Open(SignInPurpose, Find(cookieHeader, SignInName));
        if (plain is null)
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize(plain, DashboardJsonContext.Default.SignInState);
            return state is not null && DateTimeOffset.FromUnixTimeSeconds(state.Started) > now.AddMinutes(-10) ? state : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The value of cookie <paramref name="name"/> in a Cookie header (RFC 6265 §5.4: <c>a=b; c=d</c>).</summary>
    internal static string? Find(string? header, string name)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        foreach (var part in header.Split(';'))
        {
            var pair = part.AsSpan().Trim();
            var eq = pair.IndexOf('=');
            if (eq > 0 && pair[..eq].SequenceEqual(name))
            {
                return pair[(eq + 1)..].Trim('"').ToString();
            }
        }

        return null;
    }

    private string Cookie(string name, string value, string path, long maxAge, string sameSite)
    {
        var b = new StringBuilder(name).Append('=').Append(value).Append("; Path=").Append(path)
            .Append("; Max-Age=").Append(maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append("; HttpOnly; SameSite=").Append(sameSite);
        if (secure)
        {
            b.Append("; Secure");
        }

        return b.ToString();
    }

    /// <summary><c>Idt</c>: the ID token of the sign-in, for the IdP sign-out's <c>id_token_hint</c> (sealed like the rest).</summary>
    internal sealed record SessionPayload(string Sid, string Sub, string Name, string? Email, string Role, string[]? Teams, long Iat, long Exp, string? Idt = null);

    internal sealed record SignInState(string State, string Nonce, string Verifier, string Return, long Started);
}
