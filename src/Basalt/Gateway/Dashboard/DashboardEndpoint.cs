using System.Net;
using System.Security.Cryptography;
using System.Text;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Hosting;
using Basalt.Identity.ApiKeys;
using Basalt.Usage.Hosting;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// The admin dashboard's routes (issue 11 item 1), when <c>dashboard:</c> is configured:
/// <list type="bullet">
/// <item><c>/admin</c> and <c>/admin/assets/*</c>: the single-page app (no session needed: it holds no data or secret);</item>
/// <item><c>/admin/auth/login|callback|logout</c>: OIDC sign-in and sign-out (<see cref="DashboardSignIn"/>);</item>
/// <item><c>/admin/api/*</c>: the JSON API, for a session cookie or an admin key, every call's role checked here and
/// every state-changing call's CSRF token and origin too (<see cref="DashboardApi"/> maps the paths).</item>
/// </list>
/// Other <c>/admin/…</c> paths (<c>/admin/usage</c> …) stay with the usage endpoint.
/// </summary>
internal sealed class DashboardEndpoint : IDisposable
{
    private const string SignInUrl = "/admin/auth/login";
    private readonly DashboardServices _services;
    private readonly DashboardSealer _sealer;
    private readonly DashboardCookies _cookies;
    private readonly DashboardSignIn? _signIn;
    private readonly DashboardApi _api;
    private readonly TimeProvider _time;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public DashboardEndpoint(GatewayOptions options, GatewayDashboard config, UsageServices? usage, ApiKeyService? keys, ManagedApiKeyAuthenticator? keyCache, TimeProvider time)
    {
        _time = time;
        _services = new DashboardServices(options, config, usage, keys, keyCache, time);
        _sealer = new DashboardSealer(config.SessionKey);
        _cookies = new DashboardCookies(_sealer, config.SecureCookies);
        var issuer = options.Identity.Issuers.FirstOrDefault(i => string.Equals(i.Issuer.TrimEnd('/'), config.Issuer.TrimEnd('/'), StringComparison.Ordinal));
        _signIn = issuer is null ? null : new DashboardSignIn(config, issuer, _http, time);
        _api = new DashboardApi(_services);
    }

    public void Dispose()
    {
        _signIn?.Dispose();
        _http.Dispose();
    }

    public static bool Serves(string path) =>
        path == "/admin" || path.StartsWith("/admin/assets/", StringComparison.Ordinal) || path.StartsWith("/admin/auth/", StringComparison.Ordinal) || path.StartsWith("/admin/api/", StringComparison.Ordinal);

    public async Task HandleAsync(GatewayExchange exchange, string path, GatewayHandler gateway)
    {
        var started = _time.GetTimestamp();
        try
        {
            if (path.StartsWith("/admin/api/", StringComparison.Ordinal))
            {
                await ApiAsync(exchange, path, gateway, started).ConfigureAwait(false);
            }
            else if (path.StartsWith("/admin/auth/", StringComparison.Ordinal))
            {
                await AuthAsync(exchange, path, started).ConfigureAwait(false);
            }
            else
            {
                // assets: the single-page app, embedded (Gateway/Dashboard/Assets).
                await Assets.DashboardAssets.Default.HandleAsync(exchange, path, exchange.Aborted).ConfigureAwait(false);
            }
        }
        catch (DashboardException ex) when (!exchange.HasStarted)
        {
            await DashboardWriter.ErrorAsync(exchange, ex.Status, ex.Code, ex.Message, started, _time).ConfigureAwait(false);
        }
        catch (Exception ex) when (!exchange.HasStarted && ex is System.Data.Common.DbException or IOException or TimeoutException)
        {
            await DashboardWriter.ErrorAsync(exchange, 503, "store_unavailable", "the usage store is unavailable; the dashboard's figures return when it does (see /readyz)", started, _time).ConfigureAwait(false);
        }
    }

    private async Task ApiAsync(GatewayExchange exchange, string path, GatewayHandler gateway, long started)
    {
        var now = _time.GetUtcNow();
        var mutation = exchange.Method is "POST" or "PUT" or "DELETE" or "PATCH";
        DashboardSession? session;
        if (exchange.GetHeader("x-api-key") is { Length: > 0 } key)
        {
            // Scripts and the benchmark: an admin key of usage.admin, no cookie (so no CSRF to guard against).
            if (!_services.Options.Usage.IsAdminKey(key))
            {
                throw new DashboardException(401, "unauthenticated", "the x-api-key is not one of the gateway's admin keys (usage.admin.keys)");
            }

            session = new DashboardSession("admin-key", "admin-key", "admin key", null, DashboardRole.Admin, [], now, now.AddMinutes(1));
        }
        else
        {
            session = _cookies.ReadSession(exchange.GetHeader("cookie"), now);
            if (session is null)
            {
                await DashboardWriter.ErrorAsync(exchange, 401, "unauthenticated", "sign in to the dashboard first (the session is missing or has expired)", started, _time, SignInUrl).ConfigureAwait(false);
                return;
            }

            if (mutation)
            {
                CheckCsrf(exchange, session);
            }
        }

        var segments = path["/admin/api/".Length..].Split('/').Select(Uri.UnescapeDataString).ToList();
        var request = new DashboardRequest(exchange, session, segments, now);
        if (segments is ["session"] && exchange.Method == "GET")
        {
            await DashboardWriter.JsonAsync(exchange, 200, SessionJson(session), started, _time).ConfigureAwait(false);
            return;
        }

        if (mutation && !session.CanWrite)
        {
            throw DashboardException.Forbidden($"{session.DisplayName} is signed in as {session.RoleName}; only dashboard admins may change budgets, limits or keys");
        }

        var result = await _api.HandleAsync(request, gateway).ConfigureAwait(false);
        if (result.Table is { } table)
        {
            await DashboardWriter.TableAsync(exchange, table, result.RangeText, started, _time).ConfigureAwait(false);
        }
        else if (result.Json is { } json)
        {
            await DashboardWriter.JsonAsync(exchange, result.Status, json, started, _time).ConfigureAwait(false);
        }
        else
        {
            exchange.StatusCode = result.Status;
            exchange.SetResponseHeader("server-timing", "app;dur=" + _time.GetElapsedTime(started).TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// The session's CSRF token in <c>x-csrf-token</c>, and a same-origin request: <c>Origin</c> equal to the
    /// dashboard's origin, or without Origin a browser's <c>Sec-Fetch-Site: same-origin</c>. A request with
    /// neither header is refused (every browser that runs the page sends one of them on a POST).
    /// </summary>
    private void CheckCsrf(GatewayExchange exchange, DashboardSession session)
    {
        var origin = exchange.GetHeader("origin");
        var sameOrigin = origin is not null
            ? string.Equals(origin.TrimEnd('/'), _services.Config.Origin, StringComparison.OrdinalIgnoreCase)
            : string.Equals(exchange.GetHeader("sec-fetch-site"), "same-origin", StringComparison.Ordinal);
        if (!sameOrigin)
        {
            throw new DashboardException(403, "csrf", origin is null
                ? "a state-changing call must come from the dashboard's own page (no Origin or Sec-Fetch-Site: same-origin header)"
                : $"a state-changing call must come from the dashboard's own page ({_services.Config.Origin}), not from {origin}");
        }

        if (!_sealer.CsrfMatches(session.Id, exchange.GetHeader("x-csrf-token")))
        {
            throw new DashboardException(403, "csrf", "the x-csrf-token header is missing or does not belong to this session; reload the page (GET /admin/api/session gives the token)");
        }
    }

    private byte[] SessionJson(DashboardSession session) => DashboardWriter.Build(w =>
    {
        w.WriteStartObject("user");
        w.WriteString("id", session.UserId);
        w.WriteString("name", session.DisplayName);
        DashboardWriter.Value(w, "email", session.Email);
        w.WriteEndObject();
        w.WriteString("role", session.RoleName);
        DashboardWriter.Value(w, "teams", session.Teams);
        w.WriteString("csrfToken", _sealer.CsrfToken(session.Id));
        w.WriteString("expiresAt", DashboardWriter.Iso(session.ExpiresAt));
        w.WriteBoolean("canWrite", session.CanWrite);
    });

    private async Task AuthAsync(GatewayExchange exchange, string path, long started)
    {
        var now = _time.GetUtcNow();
        switch (path)
        {
            case "/admin/auth/login" when exchange.Method == "GET":
            {
                if (_signIn is null)
                {
                    throw new DashboardException(503, "not_configured", "the dashboard's issuer is not among the gateway's OIDC issuers");
                }

                var request = new DashboardRequest(exchange, null, [], now);
                var back = request.Get("return") is { } r && r.StartsWith("/admin", StringComparison.Ordinal) && !r.StartsWith("//", StringComparison.Ordinal) && !r.Contains('\\', StringComparison.Ordinal) ? r : "/admin/";
                var (redirect, state) = await _signIn.BeginAsync(back, exchange.Aborted).ConfigureAwait(false);
                exchange.StatusCode = 302;
                exchange.SetResponseHeader("set-cookie", _cookies.SignInCookie(state));
                exchange.SetResponseHeader("location", redirect.ToString());
                exchange.SetResponseHeader("cache-control", "no-store");
                return;
            }

            case "/admin/auth/callback" when exchange.Method == "GET":
            {
                var request = new DashboardRequest(exchange, null, [], now);
                var state = _cookies.ReadSignIn(exchange.GetHeader("cookie"), now);
                if (request.Get("error") is { } error)
                {
                    await SignInFailedAsync(exchange, $"the identity provider did not sign you in ({error}{(request.Get("error_description") is { } d ? ": " + d : string.Empty)})").ConfigureAwait(false);
                    return;
                }

                if (state is null || request.Get("state") is not { } given
                    || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(state.State)))
                {
                    await SignInFailedAsync(exchange, "this sign-in answer does not belong to a sign-in started in this browser in the last 10 minutes (state mismatch); start again").ConfigureAwait(false);
                    return;
                }

                if (request.Get("code") is not { } code || _signIn is null)
                {
                    await SignInFailedAsync(exchange, "the identity provider's answer has no authorization code").ConfigureAwait(false);
                    return;
                }

                var (session, problem) = await _signIn.CompleteAsync(code, state, exchange.Aborted).ConfigureAwait(false);
                if (session is null)
                {
                    await SignInFailedAsync(exchange, problem!).ConfigureAwait(false);
                    return;
                }

                await _services.AuditAsync("dashboard.signin", session, session.UserId, exchange.Aborted, ("teams", session.Teams)).ConfigureAwait(false);
                exchange.StatusCode = 303;
                exchange.SetResponseHeader("set-cookie", _cookies.SessionCookie(session, now));
                exchange.SetResponseHeader("location", state.Return);
                exchange.SetResponseHeader("cache-control", "no-store");
                return;
            }

            case "/admin/auth/logout" when exchange.Method == "POST":
            {
                var session = _cookies.ReadSession(exchange.GetHeader("cookie"), now)
                    ?? throw new DashboardException(401, "unauthenticated", "there is no dashboard session to sign out of");
                CheckCsrf(exchange, session);
                await _services.AuditAsync("dashboard.signout", session, session.UserId, exchange.Aborted).ConfigureAwait(false);

                // The IdP's session ends too where it offers RP-initiated logout: the page navigates to this URL
                // (a fetch cannot follow a cross-site redirect into the IdP's pages), and the IdP sends it back to /admin/.
                Uri? endSession = null;
                if (_signIn is not null)
                {
                    try
                    {
                        endSession = await _signIn.EndSessionAsync(session, exchange.Aborted).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or FormatException or System.Text.Json.JsonException or TaskCanceledException)
                    {
                        // The IdP's discovery is unreachable: the dashboard's own session still ends.
                    }
                }

                exchange.SetResponseHeader("set-cookie", _cookies.ClearSession());
                if (endSession is null)
                {
                    exchange.StatusCode = 204;
                    exchange.SetResponseHeader("server-timing", "app;dur=" + _time.GetElapsedTime(started).TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
                    return;
                }

                await DashboardWriter.JsonAsync(exchange, 200, DashboardWriter.Build(w => w.WriteString("endSessionUrl", endSession.ToString())), started, _time).ConfigureAwait(false);
                return;
            }

            default:
                throw DashboardException.NotFound($"{exchange.Method} {path} is not a sign-in route; expected GET /admin/auth/login, GET /admin/auth/callback or POST /admin/auth/logout");
        }
    }

    private static async Task SignInFailedAsync(GatewayExchange exchange, string message)
    {
        var html = Encoding.UTF8.GetBytes($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head>
            <body><h1>Sign-in failed</h1><p>{WebUtility.HtmlEncode(message)}</p><p><a href="{SignInUrl}">Sign in again</a></p></body></html>
            """);
        exchange.StatusCode = 400;
        exchange.SetResponseHeader("content-type", "text/html; charset=utf-8");
        exchange.SetResponseHeader("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
        exchange.SetResponseHeader("cache-control", "no-store");
        exchange.SetResponseHeader("content-length", html.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await exchange.ResponseBody.WriteAsync(html, exchange.Aborted).ConfigureAwait(false);
    }
}
