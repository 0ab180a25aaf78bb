using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Http;
using Basalt.Emulator.Identity;
using Basalt.Emulator.Logging;
using Basalt.Emulator.Sts.WebIdentity;
using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.Sts;

/// <summary>
/// AWS STS over the awsQuery protocol (form POST <c>Action=...&amp;Version=2011-06-15</c>, XML responses; spec §4):
/// GetCallerIdentity, GetSessionToken, AssumeRole (trust, external id, session tags, duration limits) and
/// AssumeRoleWithWebIdentity (unsigned; OIDC token checked by <see cref="WebIdentityValidator"/>).
/// </summary>
internal sealed partial class StsService(EmulatorContext emulator, WebIdentityValidator webIdentity)
{
    private const string Service = "sts";
    private const string ApiVersion = "2011-06-15";
    private static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(900);
    private static readonly TimeSpan RoleChainingLimit = TimeSpan.FromHours(1);

    public async Task HandleAsync(HttpContext context)
    {
        var body = await EmulatorHttp.ReadBodyAsync(context.Request, context.RequestAborted);
        var isForm = context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        var request = new StsRequest(context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : null, isForm ? Encoding.UTF8.GetString(body) : null);
        var action = request.Action;
        if (action is null)
        {
            await FailAsync(context, null, "Unknown", 400, "MissingAction", "Missing Action");
            return;
        }

        if (request.Get("Version") is { } version && version != ApiVersion)
        {
            await FailAsync(context, null, action, 400, "InvalidAction", $"Could not find operation {action} for version {version}");
            return;
        }

        switch (action)
        {
            case "AssumeRoleWithWebIdentity":
                await AssumeRoleWithWebIdentityAsync(context, request);
                return;
            case "GetCallerIdentity" or "AssumeRole" or "GetSessionToken":
                var auth = await emulator.Authenticator.AuthenticateAsync(context, Service, action);
                if (!auth.Succeeded)
                {
                    return;
                }

                var caller = auth.Principal!;
                await (action switch
                {
                    "GetCallerIdentity" => GetCallerIdentityAsync(context, caller),
                    "AssumeRole" => AssumeRoleAsync(context, request, caller),
                    _ => GetSessionTokenAsync(context, request, caller),
                });
                return;
            default:
                await FailAsync(context, null, action, 400, "InvalidAction", $"Could not find operation {action} for version {ApiVersion}");
                return;
        }
    }

    private async Task GetCallerIdentityAsync(HttpContext context, EmulatorPrincipal caller)
    {
        await StsXml.WriteAsync(context, "GetCallerIdentity", xml =>
        {
            StsXml.Element(xml, "Arn", caller.Arn);
            StsXml.Element(xml, "UserId", caller.UserId);
            StsXml.Element(xml, "Account", caller.AccountId);
        });
        Succeeded(context, caller, "GetCallerIdentity");
    }

    private async Task GetSessionTokenAsync(HttpContext context, StsRequest request, EmulatorPrincipal caller)
    {
        const string Action = "GetSessionToken";
        if (caller.Kind != PrincipalKind.IamUser)
        {
            await FailAsync(context, caller, Action, 403, "AccessDenied", "Cannot call GetSessionToken with session credentials");
            return;
        }

        // IAM users: 900 s to 36 h, default 12 h.
        if (!TryDuration(request, TimeSpan.FromHours(12), TimeSpan.FromHours(36), out var duration, out var problem))
        {
            await FailAsync(context, caller, Action, 400, "ValidationError", problem);
            return;
        }

        var credential = emulator.Identities.IssueSession(caller, Expiry(duration));
        await StsXml.WriteAsync(context, Action, xml => StsXml.Credentials(xml, credential));
        Succeeded(context, caller, Action);
    }

    private async Task AssumeRoleAsync(HttpContext context, StsRequest request, EmulatorPrincipal caller)
    {
        const string Action = "AssumeRole";
        var roleArn = request.Get("RoleArn");
        var sessionName = request.Get("RoleSessionName");
        if (await ValidateRoleParametersAsync(context, caller, Action, roleArn, sessionName) is false)
        {
            return;
        }

        if (request.Get("ExternalId") is { } externalIdValue && !ExternalIdPattern().IsMatch(externalIdValue))
        {
            await FailAsync(context, caller, Action, 400, "ValidationError", $"1 validation error detected: Value '{externalIdValue}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
            return;
        }

        var denied = $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}";
        if (!emulator.Identities.TryGetRole(roleArn!, out var role) || !Trusts(role, caller)
            || (role.Options.ExternalId is { } externalId && !string.Equals(externalId, request.Get("ExternalId"), StringComparison.Ordinal)))
        {
            await FailAsync(context, caller, Action, 403, "AccessDenied", denied);
            return;
        }

        if (!TryDuration(request, TimeSpan.FromHours(1), TimeSpan.FromHours(12), out var duration, out var problem))
        {
            await FailAsync(context, caller, Action, 400, "ValidationError", problem);
            return;
        }

        if (caller.IsRoleSession && duration > RoleChainingLimit)
        {
            await FailAsync(context, caller, Action, 400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
            return;
        }

        if (duration > role.Options.MaxSessionDuration)
        {
            await FailAsync(context, caller, Action, 400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
            return;
        }

        if (!TryReadTags(request, caller, out var tags, out var transitive, out problem))
        {
            await FailAsync(context, caller, Action, 400, "ValidationError", problem);
            return;
        }

        var principal = emulator.Identities.RoleSession(role, sessionName!, tags, transitive);
        var credential = emulator.Identities.IssueSession(principal, Expiry(duration));
        var policy = request.Get("Policy");
        var sourceIdentity = request.Get("SourceIdentity");
        await StsXml.WriteAsync(context, Action, xml =>
        {
            if (sourceIdentity is not null)
            {
                StsXml.Element(xml, "SourceIdentity", sourceIdentity);
            }

            StsXml.AssumedRoleUser(xml, principal);
            StsXml.Credentials(xml, credential);
            if (tags.Count > 0 || policy is not null)
            {
                StsXml.Element(xml, "PackedPolicySize", PackedPolicySize(tags, policy).ToString(CultureInfo.InvariantCulture));
            }
        });
        Succeeded(context, caller, Action);
    }

    private async Task AssumeRoleWithWebIdentityAsync(HttpContext context, StsRequest request)
    {
        const string Action = "AssumeRoleWithWebIdentity";
        var roleArn = request.Get("RoleArn");
        var sessionName = request.Get("RoleSessionName");
        var token = request.Get("WebIdentityToken");
        if (await ValidateRoleParametersAsync(context, null, Action, roleArn, sessionName) is false)
        {
            return;
        }

        if (string.IsNullOrEmpty(token) || token.Length < 4)
        {
            await FailAsync(context, null, Action, 400, "ValidationError", "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4");
            return;
        }

        if (!emulator.Identities.TryGetRole(roleArn!, out var role))
        {
            await FailAsync(context, null, Action, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
            return;
        }

        var now = emulator.Time.GetUtcNow();
        var check = await webIdentity.ValidateAsync(token, role, now, context.RequestAborted);
        if (!check.Succeeded)
        {
            await FailAsync(context, null, Action, check.ErrorStatus, check.ErrorCode!, check.ErrorMessage!);
            return;
        }

        if (!TryDuration(request, TimeSpan.FromHours(1), TimeSpan.FromHours(12), out var duration, out var problem) || duration > role.Options.MaxSessionDuration)
        {
            await FailAsync(context, null, Action, 400, "ValidationError", problem.Length > 0 ? problem : "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
            return;
        }

        var principal = emulator.Identities.RoleSession(role, sessionName!);
        var credential = emulator.Identities.IssueSession(principal, Expiry(duration));
        await StsXml.WriteAsync(context, Action, xml =>
        {
            StsXml.Credentials(xml, credential);
            StsXml.Element(xml, "SubjectFromWebIdentityToken", check.Subject ?? string.Empty);
            StsXml.AssumedRoleUser(xml, principal);

            // For OIDC ID tokens STS returns the token's 'iss' as Provider (STS API reference).
            StsXml.Element(xml, "Provider", check.Issuer!);
            StsXml.Element(xml, "Audience", check.Audience!);
        });
        Succeeded(context, principal, Action);
    }

    private async Task<bool> ValidateRoleParametersAsync(HttpContext context, EmulatorPrincipal? caller, string action, string? roleArn, string? sessionName)
    {
        if (roleArn is null || roleArn.Length < 20 || roleArn.Length > 2048)
        {
            await FailAsync(context, caller, action, 400, "ValidationError", $"1 validation error detected: Value {(roleArn is null ? "null" : $"'{roleArn}'")} at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
            return false;
        }

        if (sessionName is null || !SessionNamePattern().IsMatch(sessionName))
        {
            await FailAsync(context, caller, action, 400, "ValidationError", $"1 validation error detected: Value {(sessionName is null ? "null" : $"'{sessionName}'")} at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64");
            return false;
        }

        return true;
    }

    /// <summary>
    /// The role's trust policy, reduced to principals: <c>*</c>, the caller's account <c>root</c>, the caller's
    /// user or assumed-role ARN, or (role chaining) the ARN of the role the caller's session belongs to.
    /// </summary>
    private static bool Trusts(RoleRecord role, EmulatorPrincipal caller)
    {
        foreach (var trusted in role.Options.TrustedPrincipals)
        {
            if (trusted == "*" || trusted == caller.Arn || (caller.RoleArn is not null && trusted == caller.RoleArn)
                || (trusted.EndsWith(":root", StringComparison.Ordinal) && trusted.Split(':') is { Length: 6 } parts && parts[4] == caller.AccountId))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryDuration(StsRequest request, TimeSpan defaultValue, TimeSpan max, out TimeSpan duration, out string problem)
    {
        duration = defaultValue;
        problem = string.Empty;
        if (request.Get("DurationSeconds") is not { } text)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < MinDuration.TotalSeconds)
        {
            problem = $"1 validation error detected: Value '{text}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900";
            return false;
        }

        if (seconds > max.TotalSeconds)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"1 validation error detected: Value '{text}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to {max.TotalSeconds:0}");
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>
    /// Session tags (<c>Tags.member.N.Key/Value</c>, at most 50) plus the transitive tags inherited from a
    /// chained caller; a request may not change an inherited transitive tag (STS session tags rules).
    /// </summary>
    private static bool TryReadTags(StsRequest request, EmulatorPrincipal caller, out Dictionary<string, string> tags, out List<string> transitive, out string problem)
    {
        tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        transitive = [];
        problem = string.Empty;
        foreach (var key in caller.TransitiveTagKeys)
        {
            if (caller.SessionTags.TryGetValue(key, out var value))
            {
                tags[key] = value;
                transitive.Add(key);
            }
        }

        var keys = request.Members("Tags", "Key");
        var values = request.Members("Tags", "Value");
        if (keys.Count > 50)
        {
            problem = "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50";
            return false;
        }

        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i]!;
            var value = i < values.Count ? values[i] ?? string.Empty : string.Empty;
            if (key.Length is 0 or > 128 || value.Length > 256)
            {
                problem = $"1 validation error detected: Value at 'tags.{i + 1}.member' failed to satisfy constraint: tag keys are 1-128 and values 0-256 characters";
                return false;
            }

            if (transitive.Contains(key, StringComparer.OrdinalIgnoreCase) && tags[key] != value)
            {
                problem = $"One or more of the specified transitive tag keys '{key}' conflict with session tags inherited from the calling session.";
                return false;
            }

            tags[key] = value;
        }

        foreach (var key in request.Members("TransitiveTagKeys"))
        {
            if (!tags.ContainsKey(key!))
            {
                problem = $"The transitive tag key '{key}' is not among the session tags.";
                return false;
            }

            if (!transitive.Contains(key!, StringComparer.OrdinalIgnoreCase))
            {
                transitive.Add(key!);
            }
        }

        return true;
    }

    /// <summary>How full the packed session policy and tags are, in percent of the limit (STS reports this when tags or a policy are passed).</summary>
    private static int PackedPolicySize(Dictionary<string, string> tags, string? policy)
    {
        var bytes = tags.Sum(t => t.Key.Length + t.Value.Length + 4) + (policy?.Length ?? 0);
        return Math.Clamp((int)Math.Ceiling(bytes * 100.0 / 2048), 1, 100);
    }

    /// <summary>Expirations are whole seconds, as STS reports them.</summary>
    private DateTimeOffset Expiry(TimeSpan duration)
    {
        var now = emulator.Time.GetUtcNow();
        return DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()) + duration;
    }

    private void Succeeded(HttpContext context, EmulatorPrincipal principal, string action)
        => emulator.Log.Record(new RequestLogEntry(emulator.Time.GetUtcNow(), principal.Arn, principal.AccountId, Service, action, RequestLogEntry.SuccessOutcome, 200, EmulatorHttp.RequestId(context)));

    private async Task FailAsync(HttpContext context, EmulatorPrincipal? caller, string action, int status, string code, string message)
    {
        emulator.Log.Record(new RequestLogEntry(emulator.Time.GetUtcNow(), caller?.Arn, caller?.AccountId, Service, action, code, status, EmulatorHttp.RequestId(context)));
        await AwsErrors.WriteQueryErrorAsync(context, status, code, message);
    }

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex(@"^[\w+=,.@:\/-]{2,1224}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExternalIdPattern();
}
