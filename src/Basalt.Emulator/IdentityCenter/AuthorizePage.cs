using System.Net;
using System.Text;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Http;
using Basalt.Emulator.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Basalt.Emulator.IdentityCenter;

/// <summary>
/// IAM Identity Center's authorization endpoint (<c>https://oidc.{region}.amazonaws.com/authorize</c>), the
/// authorization code grant with PKCE that the AWS CLI uses by default since v2.22: <c>GET /authorize</c> with
/// <c>response_type=code</c>, <c>client_id</c>, <c>redirect_uri</c>, <c>state</c>, <c>code_challenge</c> and
/// <c>code_challenge_method=S256</c> shows, in place of the access portal's sign-in, a form to pick the signing-in
/// user; <c>POST /authorize</c> decides and redirects to the client's registered redirect URI with <c>code</c> and
/// <c>state</c> (or <c>error=access_denied</c>). As RFC 6749 §4.1.2.1 requires, an unknown client or an
/// unregistered redirect URI is shown on the page and never redirected to.
/// </summary>
internal sealed class AuthorizePage(EmulatorContext emulator, IdentityCenterStore store)
{
    private static readonly string[] Carried = ["client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "response_type", "scopes"];

    public async Task ShowAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (await CheckAsync(context, name => query[name]) is not { } request)
        {
            return;
        }

        var html = new StringBuilder("<h1>Allow access</h1>");
        html.Append("<p>The application <strong id=\"client-name\">").Append(Encode(request.Client.ClientName)).Append("</strong> asks to sign in with IAM Identity Center.</p>")
            .Append("<form method=\"post\" action=\"/authorize\">");
        foreach (var name in Carried)
        {
            html.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(Encode(query[name].ToString())).Append("\">");
        }

        html.Append("<label>Sign in as <select name=\"user\">");
        foreach (var user in emulator.Identities.Users.OrderBy(u => u.Name, StringComparer.Ordinal))
        {
            html.Append("<option value=\"").Append(Encode(user.Name)).Append("\">").Append(Encode(user.Name)).Append("</option>");
        }

        html.Append("</select></label><button name=\"decision\" value=\"approve\">Allow access</button><button name=\"decision\" value=\"deny\">Deny</button></form>");
        await WritePageAsync(context, 200, html.ToString());
    }

    public async Task DecideAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await WritePageAsync(context, 415, "<p class=\"error\">Post the form (application/x-www-form-urlencoded).</p>");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (await CheckAsync(context, name => form[name]) is not { } request)
        {
            return;
        }

        var userName = form["user"].ToString();
        var approve = !string.Equals(form["decision"].ToString(), "deny", StringComparison.OrdinalIgnoreCase);
        if (!emulator.Identities.TryGetUser(userName, out _))
        {
            await WritePageAsync(context, 400, $"<p class=\"error\">Unknown user '{Encode(userName)}'.</p>");
            return;
        }

        var parameters = approve
            ? $"code={Uri.EscapeDataString(store.IssueCode(request.Client, request.RedirectUri, request.Challenge, userName))}"
            : "error=access_denied&error_description=" + Uri.EscapeDataString("The user denied the authorization request");
        if (request.State.Length > 0)
        {
            parameters += "&state=" + Uri.EscapeDataString(request.State);
        }

        Record(context, IdentityCenterPrincipals.UserArn(userName), approve ? "Authorize" : "DenyAuthorize", RequestLogEntry.SuccessOutcome, 302);
        context.Response.StatusCode = 302;
        context.Response.Headers.Location = request.RedirectUri + (request.RedirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + parameters;
    }

    /// <summary>The validated request, or null once the page (or the error redirect) has been written.</summary>
    private async Task<AuthorizeRequest?> CheckAsync(HttpContext context, Func<string, StringValues> get)
    {
        var client = store.FindClient(get("client_id").ToString());
        if (client is null || !client.GrantTypes.Contains("authorization_code", StringComparer.Ordinal))
        {
            Record(context, null, "Authorize", "InvalidClientException", 400);
            await WritePageAsync(context, 400, "<p class=\"error\" id=\"error\">Invalid client: it is not registered (or expired), or not for the authorization_code grant.</p>");
            return null;
        }

        var redirect = get("redirect_uri").ToString();
        if (!client.RedirectUris.Contains(redirect, StringComparer.Ordinal))
        {
            Record(context, null, "Authorize", "InvalidRedirectUriException", 400);
            await WritePageAsync(context, 400, "<p class=\"error\" id=\"error\">Invalid redirect_uri: it is not one the client registered.</p>");
            return null;
        }

        var state = get("state").ToString();
        var challenge = get("code_challenge").ToString();
        string? error = get("response_type").ToString() != "code" ? "unsupported_response_type"
            : get("code_challenge_method").ToString() != "S256" || challenge.Length != 43 ? "invalid_request"
            : null;
        if (error is not null)
        {
            Record(context, null, "Authorize", error, 302);
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = redirect + (redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "error=" + error
                + "&error_description=" + Uri.EscapeDataString("response_type=code with a 43-character S256 code_challenge is required") + (state.Length > 0 ? "&state=" + Uri.EscapeDataString(state) : string.Empty);
            return null;
        }

        return new AuthorizeRequest(client, redirect, state, challenge);
    }

    private void Record(HttpContext context, string? principalArn, string operation, string outcome, int status)
        => emulator.Log.Record(new RequestLogEntry(emulator.Time.GetUtcNow(), principalArn, null, "sso-oidc", operation, outcome, status, EmulatorHttp.RequestId(context)));

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static async Task WritePageAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Basalt emulator: IAM Identity Center authorization</title>"
            + "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto}label{display:block;margin:.5rem 0}.error{color:#b00}</style>"
            + $"</head><body>{body}</body></html>";
        await context.Response.WriteAsync(page, context.RequestAborted);
    }

    private sealed record AuthorizeRequest(OidcClient Client, string RedirectUri, string State, string Challenge);
}
