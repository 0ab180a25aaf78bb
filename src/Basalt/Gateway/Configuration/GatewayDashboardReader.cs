using System.Net;
using Basalt.Deployment;
using Basalt.Diagnostics.Reading;
using Basalt.Gateway.Dashboard;

namespace Basalt.Gateway.Configuration;

/// <summary>
/// Reads <c>gateway.dashboard</c> (issue 11 item 1); see <see cref="GatewayDashboard"/> for the shape. The issuer must
/// be one the gateway already trusts (<c>identity.oidc</c>): the dashboard adds a sign-in, not a second identity
/// configuration. Secrets (client secret, session key) only by <c>${env:}</c>/<c>${file:}</c> reference.
/// </summary>
internal static class GatewayDashboardReader
{
    private static readonly string[] DashboardKeys = ["issuer", "clientId", "clientSecret", "redirectBaseUrl", "sessionKey", "sessionLifetime", "scopes", "roles"];
    private static readonly string[] RoleKeys = ["admins", "viewers", "teamLeads"];
    private static readonly string[] TeamLeadKeys = ["group", "teams"];

    internal static GatewayDashboard? Read(FieldReader context, InputNode section, string prefix, GatewayIdentity identity)
    {
        var node = context.Mapping(section, "dashboard", prefix);
        if (node is null)
        {
            return null;
        }

        var path = FieldReader.Join(prefix, "dashboard");
        context.CheckKeys(node, path, DashboardKeys);
        var issuer = context.String(node, "issuer", path, required: true, fix: "add 'issuer: https://…', one of the issuers under identity.oidc");
        if (issuer is not null && !identity.Issuers.Any(i => string.Equals(i.Issuer.TrimEnd('/'), issuer.Value.TrimEnd('/'), StringComparison.Ordinal)))
        {
            context.Error(GatewayDiagnosticCodes.UnknownDashboardIssuer, node.Get("issuer")!, FieldReader.Join(path, "issuer"),
                $"'{issuer.Value}' is not one of the gateway's OIDC issuers ({(identity.Issuers.Count == 0 ? "none is configured" : string.Join(", ", identity.Issuers.Select(i => i.Issuer)))})",
                "add the issuer under identity.oidc (with its group mapping), then name it here");
        }

        var clientId = context.String(node, "clientId", path, required: true, fix: "add 'clientId: …', the dashboard's app registration at the IdP (a web app with a client secret)");
        var secret = context.String(node, "clientSecret", path, required: true, fix: "add 'clientSecret: \"${env:BASALT_DASHBOARD_SECRET}\"' (or ${file:…})", secret: true);
        var baseText = context.String(node, "redirectBaseUrl", path, required: true, fix: "add 'redirectBaseUrl: https://gateway.example.com' (the address browsers use; the IdP must allow <base>/admin/auth/callback)");
        Uri? redirectBase = null;
        if (baseText is not null)
        {
            if (!Uri.TryCreate(baseText.Value, UriKind.Absolute, out var uri) || uri.UserInfo.Length != 0 || uri.AbsolutePath.TrimEnd('/').Length != 0 || uri.Query.Length != 0
                || !(uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip))))
            {
                context.Error(GatewayDiagnosticCodes.BadDashboard, node.Get("redirectBaseUrl")!, FieldReader.Join(path, "redirectBaseUrl"),
                    $"'{baseText.Value}' is not a base URL; expected https://HOST[:PORT] with no path (plain http only on loopback)",
                    "write the scheme, host and port browsers use to reach the gateway, e.g. https://gateway.example.com");
            }
            else
            {
                redirectBase = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
            }
        }

        var keyText = context.String(node, "sessionKey", path, required: true, fix: "add 'sessionKey: \"${file:dashboard.key}\"' (`openssl rand -base64 32 > dashboard.key; chmod 600 dashboard.key`), the same on every replica", secret: true);
        DashboardSessionKey? key = null;
        if (keyText is not null && !DashboardSessionKey.TryParse(keyText.Value, out key, out var problem))
        {
            context.Error(GatewayDiagnosticCodes.BadDashboardKey, node.Get("sessionKey")!, FieldReader.Join(path, "sessionKey"), problem!,
                "point 'sessionKey:' at a file holding `openssl rand -base64 32` output");
        }

        var lifetime = context.Duration(node, "sessionLifetime", path, TimeSpan.FromMinutes(5), TimeSpan.FromDays(7)) ?? TimeSpan.FromHours(8);
        var scopes = context.StringList(node, "scopes", path)?.Select(s => s.Value).Where(s => s != "openid").ToList();
        var (admins, viewers, leads) = ReadRoles(context, node, path);
        if (issuer is null || clientId is null || secret is null || redirectBase is null || key is null)
        {
            return null;
        }

        return new GatewayDashboard
        {
            Issuer = identity.Issuers.FirstOrDefault(i => string.Equals(i.Issuer.TrimEnd('/'), issuer.Value.TrimEnd('/'), StringComparison.Ordinal))?.Issuer ?? issuer.Value,
            ClientId = clientId.Value,
            ClientSecret = secret.Value,
            RedirectBase = redirectBase,
            SessionKey = key,
            SessionLifetime = lifetime,
            Scopes = scopes ?? ["profile", "email", "groups"],
            AdminGroups = admins,
            ViewerGroups = viewers,
            TeamLeads = leads,
        };
    }

    private static (List<string> Admins, List<string> Viewers, Dictionary<string, IReadOnlyList<string>> Leads) ReadRoles(FieldReader context, InputNode node, string path)
    {
        var leads = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var roles = context.Mapping(node, "roles", path, required: true, fix: "add 'roles: { admins: [GROUP], viewers: [GROUP] }' (the groups whose members may sign in)");
        if (roles is null)
        {
            return ([], [], leads);
        }

        var rolesPath = FieldReader.Join(path, "roles");
        context.CheckKeys(roles, rolesPath, RoleKeys);
        var admins = context.StringList(roles, "admins", rolesPath)?.Select(v => v.Value).ToList() ?? [];
        var viewers = context.StringList(roles, "viewers", rolesPath)?.Select(v => v.Value).ToList() ?? [];
        foreach (var (item, itemPath) in context.MappingItems(roles, "teamLeads", rolesPath))
        {
            context.CheckKeys(item, itemPath, TeamLeadKeys);
            var group = context.String(item, "group", itemPath, required: true, fix: "add 'group: GROUP' (the group whose members lead the teams)");
            var teams = context.StringList(item, "teams", itemPath);
            if (teams is null || teams.Count == 0)
            {
                context.Error(DeploymentDiagnosticCodes.MissingKey, item, FieldReader.Join(itemPath, "teams"), "a team lead entry needs the teams (gateway groups) its members may see",
                    "add 'teams: [GROUP, …]'");
            }
            else if (group is not null)
            {
                leads[group.Value] = [.. (leads.TryGetValue(group.Value, out var before) ? before : []).Concat(teams.Select(t => t.Value)).Distinct(StringComparer.Ordinal)];
            }
        }

        if (admins.Count == 0 && viewers.Count == 0 && leads.Count == 0)
        {
            context.Error(DeploymentDiagnosticCodes.MissingKey, roles, rolesPath, "no group may sign in to the dashboard: 'roles:' names no admins, viewers or teamLeads",
                "add 'admins: [GROUP]' (and 'viewers:', 'teamLeads:' as needed)");
        }

        return (admins, viewers, leads);
    }
}
