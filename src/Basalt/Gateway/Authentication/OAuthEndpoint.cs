using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Credentials;
using Basalt.Gateway.Hosting;
using Basalt.Identity.OAuth;
using Microsoft.Extensions.Logging;

namespace Basalt.Gateway.Authentication;

/// <summary>
/// HTTP for the gateway's authorization server (<see cref="OAuthAuthority"/>): RFC 8414 metadata, the device
/// authorization and token endpoints (form posts, JSON answers with <c>Cache-Control: no-store</c>, RFC 6749
/// §5.1), revocation (RFC 7009), the JWKS, the user-code page (RFC 8628 §3.3) and the IdP callback. The
/// user-code form carries a double-submit CSRF token (a SameSite=Strict cookie and a hidden field), so another
/// site cannot make a signed-in browser approve an attacker's device code without the person seeing the page.
/// </summary>
internal sealed partial class OAuthEndpoint(OAuthAuthority authority, ILogger logger)
{
    private const int MaxFormBytes = 16 * 1024;
    private const string CsrfCookie = "basalt_device_csrf";

    public static bool Serves(string path)
        => path is OAuthPaths.Metadata or "/v1" + OAuthPaths.Metadata || path.StartsWith("/oauth/", StringComparison.Ordinal);

    public async Task HandleAsync(GatewayExchange exchange, string path, CancellationToken cancellationToken)
    {
        var method = exchange.Method;
        switch (path)
        {
            case OAuthPaths.Metadata or "/v1" + OAuthPaths.Metadata when method == "GET":
                await JsonAsync(exchange, 200, authority.MetadataJson(), cancellationToken).ConfigureAwait(false);
                return;
            case OAuthPaths.Jwks when method == "GET":
                await JsonAsync(exchange, 200, Encoding.UTF8.GetBytes(authority.Signer.JwksJson), cancellationToken).ConfigureAwait(false);
                return;
            case OAuthPaths.DeviceAuthorization when method == "POST":
                await DeviceAuthorizationAsync(exchange, cancellationToken).ConfigureAwait(false);
                return;
            case OAuthPaths.Token when method == "POST":
                await TokenAsync(exchange, cancellationToken).ConfigureAwait(false);
                return;
            case OAuthPaths.Revoke when method == "POST":
                if (await FormAsync(exchange, cancellationToken).ConfigureAwait(false) is { } revoke)
                {
                    await authority.RevokeAsync(revoke.GetValueOrDefault("token"), cancellationToken).ConfigureAwait(false);
                    await JsonAsync(exchange, 200, "{}"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                }

                return;
            case OAuthPaths.Device when method == "GET":
                await DevicePageAsync(exchange, Query(exchange).GetValueOrDefault("user_code"), null, cancellationToken).ConfigureAwait(false);
                return;
            case OAuthPaths.Device when method == "POST":
                try
                {
                    await DeviceDecisionAsync(exchange, cancellationToken).ConfigureAwait(false);
                }
                catch (CredentialException e)
                {
                    await IdentityProviderUnavailableAsync(exchange, e, cancellationToken).ConfigureAwait(false);
                }

                return;
            case OAuthPaths.Authorize when method == "GET":
                Uri? redirect;
                string? refusal;
                try
                {
                    (redirect, refusal) = await authority.AuthorizeAsync(Query(exchange), cancellationToken).ConfigureAwait(false);
                }
                catch (CredentialException e)
                {
                    await IdentityProviderUnavailableAsync(exchange, e, cancellationToken).ConfigureAwait(false);
                    return;
                }

                await (redirect is not null ? RedirectAsync(exchange, redirect, cancellationToken) : PageAsync(exchange, 400, "Sign-in refused", refusal!, cancellationToken)).ConfigureAwait(false);
                return;
            case OAuthPaths.Callback when method == "GET":
                var (to, message, success) = await authority.CallbackAsync(Query(exchange), cancellationToken).ConfigureAwait(false);
                if (!success)
                {
                    // One line for the operator (no stack trace: nothing in the gateway failed); the person sees the same reason.
                    LogSignInFailed(logger, authority.SignInIssuer, message.Length > 0 ? message : "refused by the sign-in service");
                }

                await (to is not null ? RedirectAsync(exchange, to, cancellationToken) : PageAsync(exchange, success ? 200 : 400, success ? "Signed in" : "Sign-in failed", message, cancellationToken)).ConfigureAwait(false);
                return;
            default:
                await ErrorAsync(exchange, new OAuthError("invalid_request", $"{method} {path} is not an endpoint of this authorization server", 404), cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async Task DeviceAuthorizationAsync(GatewayExchange exchange, CancellationToken cancellationToken)
    {
        if (await FormAsync(exchange, cancellationToken).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        var (deviceCode, grant, error) = await authority.StartDeviceAsync(form.GetValueOrDefault("client_id"), form.GetValueOrDefault("scope"), cancellationToken).ConfigureAwait(false);
        if (grant is null || deviceCode is null)
        {
            await ErrorAsync(exchange, error!, cancellationToken).ConfigureAwait(false);
            return;
        }

        var page = authority.EndpointUrl(OAuthPaths.Device);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("device_code", deviceCode);
            w.WriteString("user_code", grant.UserCode);
            w.WriteString("verification_uri", page);
            w.WriteString("verification_uri_complete", page + "?user_code=" + Uri.EscapeDataString(grant.UserCode));
            w.WriteNumber("expires_in", (int)(grant.ExpiresAt - DateTimeOffset.UtcNow).TotalSeconds);
            w.WriteNumber("interval", (int)grant.Interval.TotalSeconds);
            w.WriteEndObject();
        }

        await JsonAsync(exchange, 200, buffer.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private async Task TokenAsync(GatewayExchange exchange, CancellationToken cancellationToken)
    {
        if (await FormAsync(exchange, cancellationToken).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        var tokens = await authority.TokenAsync(form, cancellationToken).ConfigureAwait(false);
        if (tokens.Error is { } error)
        {
            await ErrorAsync(exchange, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("access_token", tokens.AccessToken);
            w.WriteString("token_type", "Bearer");
            w.WriteNumber("expires_in", (int)tokens.ExpiresIn.TotalSeconds);
            w.WriteString("refresh_token", tokens.RefreshToken);
            w.WriteString("scope", tokens.Scope);
            if (tokens.Email is { } email)
            {
                w.WriteString("email", email);
            }

            w.WriteEndObject();
        }

        await JsonAsync(exchange, 200, buffer.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private async Task DeviceDecisionAsync(GatewayExchange exchange, CancellationToken cancellationToken)
    {
        if (await FormAsync(exchange, cancellationToken).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        var typed = form.GetValueOrDefault("user_code");
        var cookie = Cookie(exchange, CsrfCookie);
        var field = form.GetValueOrDefault("csrf");
        if (cookie is null || field is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(field)))
        {
            await DevicePageAsync(exchange, typed, "The form expired or did not come from this page. Check the code and continue again.", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (form.GetValueOrDefault("action") == "deny")
        {
            var denied = await authority.DenyDeviceAsync(typed, exchange.RemoteAddress, cancellationToken).ConfigureAwait(false);
            await PageAsync(exchange, denied?.Status ?? 200, "Sign-in declined", denied?.Message ?? "The device was not signed in. You can close this window.", cancellationToken).ConfigureAwait(false);
            return;
        }

        var (idp, refusal) = await authority.BeginDeviceSignInAsync(typed, exchange.RemoteAddress, cancellationToken).ConfigureAwait(false);
        if (idp is null)
        {
            await DevicePageAsync(exchange, null, refusal!.Message, cancellationToken, refusal.Status).ConfigureAwait(false);
            return;
        }

        await RedirectAsync(exchange, idp, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user-code page: the code (pre-filled from <c>verification_uri_complete</c>) for the person to compare with their device (RFC 8628 §5.4).</summary>
    private async Task DevicePageAsync(GatewayExchange exchange, string? userCode, string? problem, CancellationToken cancellationToken, int problemStatus = 400)
    {
        var csrf = Credentials.Oidc.Pkce.RandomToken(24);
        exchange.SetResponseHeader("set-cookie", $"{CsrfCookie}={csrf}; Path=/oauth; HttpOnly; SameSite=Strict; Max-Age=900");
        var code = WebUtility.HtmlEncode(UserCode.Normalize(userCode) ?? string.Empty);
        var action = WebUtility.HtmlEncode(authority.EndpointUrl(OAuthPaths.Device));
        var body = new StringBuilder();
        if (problem is not null)
        {
            body.Append("<p class=\"problem\">").Append(WebUtility.HtmlEncode(problem)).Append("</p>");
        }

        body.Append("<p>Check that this code matches the one on your device, then sign in with your organization account.</p>")
            .Append($"<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"approve\">")
            .Append($"<label>Code <input type=\"text\" name=\"user_code\" value=\"{code}\" autocomplete=\"off\"></label> <button type=\"submit\">Continue</button></form>")
            .Append($"<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"action\" value=\"deny\">")
            .Append($"<input type=\"hidden\" name=\"user_code\" value=\"{code}\"><button type=\"submit\">This was not me</button></form>");
        await HtmlAsync(exchange, problem is null ? 200 : problemStatus, "Sign in a device to the Basalt gateway", body.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The organization's IdP could not be asked (discovery failed: down, unreachable, not an issuer). The person gets a
    /// page that says so and what to do, the operator one log line naming the issuer and the reason — not a 500 with
    /// a stack trace, since nothing in the gateway failed.
    /// </summary>
    private Task IdentityProviderUnavailableAsync(GatewayExchange exchange, CredentialException e, CancellationToken cancellationToken)
    {
        LogIdentityProviderUnavailable(logger, authority.SignInIssuer, e.Message);
        exchange.SetResponseHeader("retry-after", "30");
        return PageAsync(exchange, 502, "Sign-in is unavailable",
            $"The organization's sign-in service ({authority.SignInIssuer}) cannot be reached right now: {e.Message} Try again in a few minutes; if it persists, tell your IT administrator.",
            cancellationToken);
    }

    [LoggerMessage(EventId = 8040, Level = LogLevel.Warning, Message = "oauth: the sign-in IdP {Issuer} is unavailable: {Reason}")]
    private static partial void LogIdentityProviderUnavailable(ILogger logger, string issuer, string reason);

    [LoggerMessage(EventId = 8041, Level = LogLevel.Warning, Message = "oauth: a sign-in at {SignIn} failed: {Reason}")]
    private static partial void LogSignInFailed(ILogger logger, string signIn, string reason);

    private static Task PageAsync(GatewayExchange exchange, int status, string title, string message, CancellationToken cancellationToken)
        => HtmlAsync(exchange, status, title, "<p>" + WebUtility.HtmlEncode(message) + "</p>", cancellationToken);

    private static async Task HtmlAsync(GatewayExchange exchange, int status, string title, string body, CancellationToken cancellationToken)
    {
        var html = Encoding.UTF8.GetBytes($"<!doctype html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head><body><h1>{WebUtility.HtmlEncode(title)}</h1>{body}</body></html>");
        exchange.StatusCode = status;
        exchange.SetResponseHeader("content-type", "text/html; charset=utf-8");
        exchange.SetResponseHeader("cache-control", "no-store");
        exchange.SetResponseHeader("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
        exchange.SetResponseHeader("x-frame-options", "DENY");
        exchange.SetResponseHeader("content-length", html.Length.ToString(CultureInfo.InvariantCulture));
        await exchange.ResponseBody.WriteAsync(html, cancellationToken).ConfigureAwait(false);
        await exchange.ResponseBody.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task RedirectAsync(GatewayExchange exchange, Uri location, CancellationToken cancellationToken)
    {
        exchange.StatusCode = 302;
        exchange.SetResponseHeader("location", location.AbsoluteUri);
        exchange.SetResponseHeader("cache-control", "no-store");
        exchange.SetResponseHeader("content-length", "0");
        await exchange.StartResponseAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task JsonAsync(GatewayExchange exchange, int status, byte[] json, CancellationToken cancellationToken)
    {
        // RFC 6749 §5.1: token responses must not be cached.
        exchange.SetResponseHeader("cache-control", "no-store");
        return ResponseWriter.JsonAsync(exchange, status, json, cancellationToken);
    }

    private static Task ErrorAsync(GatewayExchange exchange, OAuthError error, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("error", error.Error);
            w.WriteString("error_description", error.Description);
            w.WriteEndObject();
        }

        return JsonAsync(exchange, error.Status, buffer.ToArray(), cancellationToken);
    }

    /// <summary>An <c>application/x-www-form-urlencoded</c> body (RFC 6749 §3.2); a repeated parameter is an error (§3.1). Null when refused (already answered).</summary>
    private static async Task<Dictionary<string, string>?> FormAsync(GatewayExchange exchange, CancellationToken cancellationToken)
    {
        var type = exchange.GetHeader("content-type");
        if (type is null || !type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            await ErrorAsync(exchange, OAuthError.InvalidRequest("send the parameters as application/x-www-form-urlencoded (RFC 6749 §3.2)"), cancellationToken).ConfigureAwait(false);
            return null;
        }

        using var body = await RequestBody.ReadAsync(exchange, MaxFormBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            await ErrorAsync(exchange, new OAuthError("invalid_request", $"the form is larger than {MaxFormBytes} bytes", 413), cancellationToken).ConfigureAwait(false);
            return null;
        }

        var parsed = FormFields.ParseStrict(Encoding.UTF8.GetString(body.Memory.Span));
        if (parsed is null)
        {
            await ErrorAsync(exchange, OAuthError.InvalidRequest("a parameter is repeated or malformed (RFC 6749 §3.1: each at most once)"), cancellationToken).ConfigureAwait(false);
        }

        return parsed;
    }

    private static Dictionary<string, string> Query(GatewayExchange exchange)
        => exchange.Query is { Length: <= MaxFormBytes } q ? FormFields.ParseStrict(q) ?? [] : [];


    private static string? Cookie(GatewayExchange exchange, string name)
    {
        if (exchange.GetHeader("cookie") is not { } header)
        {
            return null;
        }

        foreach (var part in header.Split(';'))
        {
            var pair = part.Trim();
            if (pair.StartsWith(name + "=", StringComparison.Ordinal))
            {
                return pair[(name.Length + 1)..];
            }
        }

        return null;
    }
}
