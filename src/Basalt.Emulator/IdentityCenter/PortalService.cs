using System.Globalization;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Http;
using Basalt.Emulator.Identity;
using Basalt.Emulator.Logging;
using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.IdentityCenter;

/// <summary>
/// The AWS access portal API the SSO credential providers call (rest-json, bearer in <c>x-amz-sso_bearer_token</c>;
/// spec §4): GetRoleCredentials, ListAccounts, ListAccountRoles and Logout. Pagination uses <c>max_result</c> and
/// an opaque <c>next_token</c>.
/// </summary>
internal sealed class PortalService(EmulatorContext emulator, IdentityCenterStore store)
{
    private const string Service = "sso";
    private const string BearerHeader = "x-amz-sso_bearer_token";

    public async Task GetRoleCredentialsAsync(HttpContext context)
    {
        const string Operation = "GetRoleCredentials";
        if (await SessionAsync(context, Operation) is not { } session)
        {
            return;
        }

        var roleName = context.Request.Query["role_name"].ToString();
        var accountId = context.Request.Query["account_id"].ToString();
        if (roleName.Length == 0 || accountId.Length == 0)
        {
            await FailAsync(context, session, Operation, 400, "InvalidRequestException", "role_name and account_id are required");
            return;
        }

        var assignment = emulator.Identities.AssignmentsFor(session.UserName)
            .FirstOrDefault(a => a.Account == accountId && a.PermissionSet.Name == roleName);
        if (assignment.PermissionSet is null)
        {
            // What the portal answers for a role the user is not assigned (the AWS CLI shows it verbatim).
            await FailAsync(context, session, Operation, 403, "ForbiddenException", "No access");
            return;
        }

        var role = emulator.Identities.PermissionSetRole(assignment.PermissionSet, accountId);
        var principal = emulator.Identities.RoleSession(role, session.UserName);
        var now = emulator.Time.GetUtcNow();
        var credential = emulator.Identities.IssueSession(principal, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()) + assignment.PermissionSet.SessionDuration);
        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteStartObject("roleCredentials");
            w.WriteString("accessKeyId", credential.AccessKeyId);
            w.WriteString("secretAccessKey", credential.SecretAccessKey);
            w.WriteString("sessionToken", credential.SessionToken);
            w.WriteNumber("expiration", credential.Expiration!.Value.ToUnixTimeMilliseconds());
            w.WriteEndObject();
        });
        Record(context, session, Operation, RequestLogEntry.SuccessOutcome, 200);
    }

    public async Task ListAccountsAsync(HttpContext context)
    {
        const string Operation = "ListAccounts";
        if (await SessionAsync(context, Operation) is not { } session)
        {
            return;
        }

        var accounts = emulator.Identities.AssignmentsFor(session.UserName).Select(a => a.Account).Distinct().ToList();
        if (!TryPage(context, accounts.Count, out var start, out var count))
        {
            await FailAsync(context, session, Operation, 400, "InvalidRequestException", "Invalid next_token or max_result");
            return;
        }

        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteStartArray("accountList");
            foreach (var id in accounts.Skip(start).Take(count))
            {
                emulator.Identities.TryGetAccount(id, out var account);
                w.WriteStartObject();
                w.WriteString("accountId", id);
                w.WriteString("accountName", account?.Name ?? id);
                w.WriteString("emailAddress", account?.Email ?? string.Empty);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteNextToken(w, start + count, accounts.Count);
        });
        Record(context, session, Operation, RequestLogEntry.SuccessOutcome, 200);
    }

    public async Task ListAccountRolesAsync(HttpContext context)
    {
        const string Operation = "ListAccountRoles";
        if (await SessionAsync(context, Operation) is not { } session)
        {
            return;
        }

        var accountId = context.Request.Query["account_id"].ToString();
        if (accountId.Length == 0)
        {
            await FailAsync(context, session, Operation, 400, "InvalidRequestException", "account_id is required");
            return;
        }

        var roles = emulator.Identities.AssignmentsFor(session.UserName).Where(a => a.Account == accountId).Select(a => a.PermissionSet.Name).ToList();
        if (!TryPage(context, roles.Count, out var start, out var count))
        {
            await FailAsync(context, session, Operation, 400, "InvalidRequestException", "Invalid next_token or max_result");
            return;
        }

        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteStartArray("roleList");
            foreach (var name in roles.Skip(start).Take(count))
            {
                w.WriteStartObject();
                w.WriteString("roleName", name);
                w.WriteString("accountId", accountId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteNextToken(w, start + count, roles.Count);
        });
        Record(context, session, Operation, RequestLogEntry.SuccessOutcome, 200);
    }

    public async Task LogoutAsync(HttpContext context)
    {
        const string Operation = "Logout";
        if (await SessionAsync(context, Operation) is not { } session)
        {
            return;
        }

        store.Logout(session);
        context.Response.StatusCode = 200;
        Record(context, session, Operation, RequestLogEntry.SuccessOutcome, 200);
    }

    private async Task<IdentityCenterSession?> SessionAsync(HttpContext context, string operation)
    {
        var session = store.FindSession(context.Request.Headers[BearerHeader].ToString());
        if (session is null)
        {
            await FailAsync(context, null, operation, 401, "UnauthorizedException", "Session token not found or invalid");
        }

        return session;
    }

    /// <summary><c>max_result</c> (1–100, default 100) and <c>next_token</c> (the emulator's own opaque offset).</summary>
    private static bool TryPage(HttpContext context, int total, out int start, out int count)
    {
        start = 0;
        count = 100;
        var max = context.Request.Query["max_result"].ToString();
        if (max.Length > 0 && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 100))
        {
            return false;
        }

        var next = context.Request.Query["next_token"].ToString();
        if (next.Length > 0)
        {
            var raw = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(next.Length % 4 == 0 && next.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=') ? next : "AA=="));
            if (!raw.StartsWith("offset:", StringComparison.Ordinal) || !int.TryParse(raw[7..], NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > total)
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteNextToken(System.Text.Json.Utf8JsonWriter w, int end, int total)
    {
        if (end < total)
        {
            w.WriteString("nextToken", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"offset:{end}"))));
        }
    }

    private async Task FailAsync(HttpContext context, IdentityCenterSession? session, string operation, int status, string code, string message)
    {
        Record(context, session, operation, code, status);
        await AwsErrors.WriteJsonErrorAsync(context, status, code, message);
    }

    private void Record(HttpContext context, IdentityCenterSession? session, string operation, string outcome, int status)
        => emulator.Log.Record(new RequestLogEntry(emulator.Time.GetUtcNow(), session is null ? null : IdentityCenterPrincipals.UserArn(session.UserName), null, Service, operation, outcome, status, EmulatorHttp.RequestId(context)));
}
