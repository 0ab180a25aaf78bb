using System.Net;
using System.Text;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Http;
using Basalt.Emulator.Logging;
using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.IdentityCenter;

/// <summary>
/// The device-flow verification page (RFC 8628 §3.3), standing in for the AWS access portal's sign-in:
/// <c>GET /device?user_code=...</c> shows the code and a form to pick the signing-in user; <c>POST /device</c>
/// with <c>user_code</c>, <c>user</c> and <c>decision=approve|deny</c> decides. Tests and scripts can post the
/// form directly; the quickstart prints the URL.
/// </summary>
internal sealed class ApprovalPage(EmulatorContext emulator, IdentityCenterStore store)
{
    public async Task ShowAsync(HttpContext context)
    {
        var userCode = context.Request.Query["user_code"].ToString();
        var users = emulator.Identities.Users.OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        var html = new StringBuilder();
        html.Append("<h1>Authorize request</h1>");
        var authorization = userCode.Length > 0 ? store.FindByUserCode(userCode) : null;
        if (authorization is not null)
        {
            html.Append("<p>A device is asking to sign in with code <strong id=\"user-code\">").Append(Encode(authorization.UserCode)).Append("</strong>.</p>");
        }
        else if (userCode.Length > 0)
        {
            html.Append("<p class=\"error\">Unknown code.</p>");
        }

        html.Append("<form method=\"post\" action=\"/device\">")
            .Append("<label>Code <input name=\"user_code\" value=\"").Append(Encode(authorization?.UserCode ?? userCode)).Append("\" required></label>")
            .Append("<label>Sign in as <select name=\"user\">");
        foreach (var user in users)
        {
            html.Append("<option value=\"").Append(Encode(user.Name)).Append("\">").Append(Encode(user.Name));
            if (user.Options.Groups.Count > 0)
            {
                html.Append(" (").Append(Encode(string.Join(", ", user.Options.Groups))).Append(')');
            }

            html.Append("</option>");
        }

        html.Append("</select></label>")
            .Append("<button name=\"decision\" value=\"approve\">Allow</button>")
            .Append("<button name=\"decision\" value=\"deny\">Deny</button></form>");
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
        var userCode = form["user_code"].ToString();
        var userName = form["user"].ToString();
        var approve = !string.Equals(form["decision"].ToString(), "deny", StringComparison.OrdinalIgnoreCase);
        if (!emulator.Identities.TryGetUser(userName, out _))
        {
            await WritePageAsync(context, 400, $"<p class=\"error\">Unknown user '{Encode(userName)}'.</p>");
            return;
        }

        var outcome = store.Decide(userCode, userName, approve);
        var (status, message) = outcome switch
        {
            ApprovalOutcome.Approved => (200, "Request approved. You can close this window and return to the application."),
            ApprovalOutcome.Denied => (200, "Request denied."),
            ApprovalOutcome.Expired => (400, "This code has expired. Start the sign-in again."),
            ApprovalOutcome.AlreadyDecided => (409, "This code was already used."),
            _ => (404, "Unknown code."),
        };
        emulator.Log.Record(new RequestLogEntry(emulator.Time.GetUtcNow(), IdentityCenterPrincipals.UserArn(userName), null, "sso-portal", approve ? "ApproveDevice" : "DenyDevice",
            status == 200 ? RequestLogEntry.SuccessOutcome : outcome.ToString(), status, EmulatorHttp.RequestId(context)));
        await WritePageAsync(context, status, $"<p id=\"outcome\" data-outcome=\"{outcome}\">{Encode(message)}</p>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static async Task WritePageAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var page = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Basalt emulator: IAM Identity Center sign-in</title>"
            + "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto}label{display:block;margin:.5rem 0}.error{color:#b00}</style>"
            + $"</head><body>{body}</body></html>";
        await context.Response.WriteAsync(page, context.RequestAborted);
    }
}
