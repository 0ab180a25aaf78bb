using System.Globalization;
using System.Text.Json;
using Basalt.Emulator.Http;
using Basalt.Emulator.IdentityCenter;
using Basalt.Emulator.Logging;
using Basalt.Emulator.Sts;
using Basalt.Emulator.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Emulator.Hosting;

/// <summary>
/// Maps the identity services onto the one shared port, dispatched by path as the issue lays out: STS at
/// <c>/</c> (form <c>Action</c>), OIDC at <c>/client/register</c>, <c>/device_authorization</c>, <c>/token</c>,
/// the portal at <c>/federation/credentials</c>, <c>/assignment/*</c>, <c>/logout</c>, the device approval page
/// at <c>/device</c>, the authorization-code page at <c>/authorize</c>, and the emulator's own <c>/_emulator/*</c> (request log, clock).
/// </summary>
internal static class EmulatorEndpoints
{
    public static void MapIdentityServices(this IEndpointRouteBuilder app, EmulatorContext emulator, StsService sts, OidcService oidc, PortalService portal, ApprovalPage approval, AuthorizePage authorize)
    {
        app.MapPost("/", sts.HandleAsync);
        app.MapGet("/", context => context.Request.Query.ContainsKey("Action") ? sts.HandleAsync(context) : IndexAsync(context, emulator));

        app.MapPost("/client/register", oidc.RegisterClientAsync);
        app.MapPost("/device_authorization", oidc.StartDeviceAuthorizationAsync);
        app.MapPost("/token", oidc.CreateTokenAsync);
        app.MapGet("/device", approval.ShowAsync);
        app.MapPost("/device", approval.DecideAsync);
        app.MapGet("/authorize", authorize.ShowAsync);
        app.MapPost("/authorize", authorize.DecideAsync);

        app.MapGet("/federation/credentials", portal.GetRoleCredentialsAsync);
        app.MapGet("/assignment/accounts", portal.ListAccountsAsync);
        app.MapGet("/assignment/roles", portal.ListAccountRolesAsync);
        app.MapPost("/logout", portal.LogoutAsync);

        app.MapGet("/_emulator/requests", context => RequestsAsync(context, emulator.Log));
        app.MapPost("/_emulator/clock/advance", context => AdvanceClockAsync(context, emulator));
    }

    /// <summary>The local CloudTrail as JSON, optionally filtered by <c>?principal=ARN</c>.</summary>
    private static Task RequestsAsync(HttpContext context, RequestLog log)
    {
        var principal = context.Request.Query["principal"].ToString();
        var entries = principal.Length > 0 ? log.ForPrincipal(principal) : log.Snapshot();
        return AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteStartArray("requests");
            foreach (var e in entries)
            {
                w.WriteStartObject();
                w.WriteString("time", e.Time);
                WriteNullable(w, "principalArn", e.PrincipalArn);
                WriteNullable(w, "accountId", e.AccountId);
                w.WriteString("service", e.Service);
                w.WriteString("operation", e.Operation);
                w.WriteString("outcome", e.Outcome);
                w.WriteNumber("statusCode", e.StatusCode);
                w.WriteString("requestId", e.RequestId);
                if (e.ModelId is not null)
                {
                    w.WriteString("modelId", e.ModelId);
                }

                if (e.Message is not null)
                {
                    w.WriteString("message", e.Message);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>
    /// Moves a <see cref="ManualTimeProvider"/> forward (<c>?seconds=N</c>) so out-of-process peers (node, the AWS
    /// CLI) can test expiry. Refused when the emulator runs on the real clock.
    /// </summary>
    private static Task AdvanceClockAsync(HttpContext context, EmulatorContext emulator)
    {
        if (emulator.Time is not ManualTimeProvider manual)
        {
            return AwsErrors.WriteJsonErrorAsync(context, 409, "ClockNotControllable", "The emulator runs on the system clock; start it with a ManualTimeProvider to move time.");
        }

        if (!int.TryParse(context.Request.Query["seconds"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return AwsErrors.WriteJsonErrorAsync(context, 400, "ValidationException", "seconds must be a whole number of seconds to move forward.");
        }

        manual.Advance(TimeSpan.FromSeconds(seconds));
        return AwsErrors.WriteJsonAsync(context, 200, "application/json", w => w.WriteString("now", manual.GetUtcNow()));
    }

    private static Task IndexAsync(HttpContext context, EmulatorContext emulator)
    {
        var baseUri = emulator.BaseAddress.ToString().TrimEnd('/');
        return AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteString("service", "basalt-emulator");
            w.WriteString("region", emulator.Options.Region);
            w.WriteString("sts", baseUri + "/");
            w.WriteString("ssoOidc", baseUri);
            w.WriteString("ssoPortal", baseUri);
            w.WriteString("bedrock", baseUri);
            w.WriteString("deviceApproval", baseUri + "/device");
            w.WriteString("requestLog", baseUri + "/_emulator/requests");
        });
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
