using System.Net;
using Basalt.Deployment;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;
using Basalt.Identity.Aws;
using Basalt.Identity.Groups;
using Basalt.Identity.Jwt;
using Basalt.Identity.OAuth;
using Basalt.Identity.Oidc;

namespace Basalt.Gateway.Configuration;

/// <summary>
/// Reads <c>gateway.identity</c> (issue 9): OIDC issuers with their group mapping, explicit group members and the
/// managed-key store. Every group a mapping can produce must be configured under <c>groups:</c>, so a typo is an
/// error at start-up rather than a caller who silently gets no models.
/// <code>
/// identity:
///   oidc:
///     - issuer: https://login.example.com/tenant/v2.0
///       audiences: [api://basalt-gateway]       # ID token: the client id; access token: the API audience
///       clientId: basalt-desktop                # optional: azp of multi-audience ID tokens
///       jwksUri: https://…/keys                 # optional: discovered from the issuer otherwise
///       groupClaims: [groups]                   # default [groups]
///       groups: { 5c1f…: engineering }          # IdP group (id or name) → gateway group
///       keepUnmappedGroups: false               # default: true only when 'groups:' is empty
///       claimRules: [ { claim: department, value: Finance, group: finance } ]
///       costCentreClaim: cost_center
///       clockSkewSeconds: 120
///   members: { engineering: [user-id-1, user-id-2] }
///   managedKeys: { sqlite: gateway-keys.db }    # relative to the configuration's folder
///   aws:                                        # presigned sts:GetCallerIdentity tokens (basalt-aws-v1.…)
///     stsEndpoint: https://sts.us-east-1.amazonaws.com
///     region: us-east-1
///     audience: basalt-prod                     # optional: the signed x-basalt-gateway-id value
///     permissionSets: { BedrockInference: engineering }   # also roles: and accounts: → group
///   oauth:                                      # the gateway as OAuth authorization server (device grant)
///     issuer: https://gateway.example.com       # optional: the first listener's address otherwise
///     signIn: { issuer: https://login.example.com/tenant/v2.0, clientId: basalt-gateway, scopes: [openid, profile, email] }
///     # or, with no IdP: IAM Identity Center (needs 'aws:' above, whose STS and permissionSets map the person)
///     # signIn: { identityCenter: { startUrl: https://d-xxxxxxxxxx.awsapps.com/start, region: us-east-1, accountId: "111122223333", roleName: BedrockInference } }
///     clients: { basalt-cli: [http://127.0.0.1/callback] }   # authorization code + PKCE clients and redirect URIs
///     accessTokenLifetime: 10m                  # also refreshTokenLifetime (30d), deviceCodeLifetime (10m), pollInterval (5s)
///     sqlite: gateway-oauth.db                  # PostgreSQL instead when the usage store is PostgreSQL
/// </code>
/// </summary>
internal static class GatewayIdentityReader
{
    private static readonly string[] IdentityKeys = ["oidc", "members", "managedKeys", "aws", "oauth"];
    private static readonly string[] OAuthKeys = ["issuer", "signIn", "clients", "accessTokenLifetime", "refreshTokenLifetime", "deviceCodeLifetime", "pollInterval", "sqlite", "revocationCheckInterval", "userCodeAttempts"];
    private static readonly string[] UserCodeAttemptKeys = ["perAddress", "gatewayWide", "perDeviceCode", "window"];
    private static readonly string[] SignInKeys = ["issuer", "clientId", "clientSecret", "scopes", "identityCenter"];
    private static readonly string[] IdentityCenterKeys = ["startUrl", "region", "accountId", "roleName", "oidcEndpoint", "portalEndpoint"];
    private static readonly string[] AwsKeys = ["stsEndpoint", "region", "audience", "permissionSets", "roles", "accounts"];
    private static readonly string[] IssuerKeys = ["issuer", "audiences", "clientId", "jwksUri", "groupClaims", "groups", "keepUnmappedGroups", "claimRules", "costCentreClaim", "clockSkewSeconds"];
    private static readonly string[] RuleKeys = ["claim", "value", "group"];
    private static readonly string[] ManagedKeyKeys = ["sqlite"];

    internal static GatewayIdentity Read(FieldReader context, InputNode section, string prefix, string file, IReadOnlyDictionary<string, GatewayGroup> groups)
    {
        var node = context.Mapping(section, "identity", prefix);
        if (node is null)
        {
            return GatewayIdentity.None;
        }

        var path = FieldReader.Join(prefix, "identity");
        context.CheckKeys(node, path, IdentityKeys);
        var members = ReadMembers(context, node, path, groups);
        var issuers = new List<OidcIssuerOptions>();
        foreach (var (item, itemPath) in context.MappingItems(node, "oidc", path))
        {
            if (ReadIssuer(context, item, itemPath, groups, members) is { } issuer)
            {
                if (issuers.Any(i => string.Equals(i.Issuer.TrimEnd('/'), issuer.Issuer.TrimEnd('/'), StringComparison.Ordinal)))
                {
                    context.Error(GatewayDiagnosticCodes.DuplicateIssuer, item, FieldReader.Join(itemPath, "issuer"), $"the issuer '{issuer.Issuer}' is configured twice", "list each issuer once, with all its audiences under 'audiences:'");
                }

                issuers.Add(issuer);
            }
        }

        var aws = ReadAws(context, node, path, groups, members);
        return new GatewayIdentity
        {
            Issuers = issuers,
            Members = members,
            ManagedKeyStore = ReadKeyStore(context, node, path, file),
            Aws = aws,
            OAuth = ReadOAuth(context, node, path, file, issuers, aws),
        };
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadMembers(FieldReader context, InputNode identity, string path, IReadOnlyDictionary<string, GatewayGroup> groups)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var node = context.Mapping(identity, "members", path);
        if (node is null)
        {
            return result;
        }

        var membersPath = FieldReader.Join(path, "members");
        foreach (var (key, value) in node.Entries)
        {
            var group = key.Scalar ?? string.Empty;
            CheckGroup(context, key, FieldReader.Join(membersPath, group), group, groups);
            var users = context.StringListOf(value, FieldReader.Join(membersPath, group), group) ?? [];
            result[group] = [.. users.Select(u => u.Value)];
        }

        return result;
    }

    private static OidcIssuerOptions? ReadIssuer(FieldReader context, InputNode item, string path, IReadOnlyDictionary<string, GatewayGroup> groups, Dictionary<string, IReadOnlyList<string>> members)
    {
        context.CheckKeys(item, path, IssuerKeys);
        var issuer = context.String(item, "issuer", path, required: true, fix: "add 'issuer: https://…' exactly as the IdP writes it in the tokens' 'iss'");
        var audiences = context.StringList(item, "audiences", path);
        if (audiences is null || audiences.Count == 0)
        {
            context.Error(DeploymentDiagnosticCodes.MissingKey, item, FieldReader.Join(path, "audiences"), "an issuer needs the audiences its tokens must carry in 'aud'",
                "add 'audiences: [CLIENT-ID]' (ID tokens: the client id of the app registration; access tokens: the API audience/resource)");
        }

        var clientId = context.String(item, "clientId", path);
        var jwks = context.String(item, "jwksUri", path);
        if (issuer is not null && !IsAllowedUrl(issuer.Value))
        {
            context.Error(GatewayDiagnosticCodes.BadIssuer, item.Get("issuer")!, FieldReader.Join(path, "issuer"), $"'{issuer.Value}' is not an https URL (plain http is accepted on loopback only)",
                "write the issuer URL exactly as in the tokens' 'iss', e.g. https://login.microsoftonline.com/TENANT/v2.0");
        }

        if (jwks is not null && !IsAllowedUrl(jwks.Value))
        {
            context.Error(GatewayDiagnosticCodes.BadIssuer, item.Get("jwksUri")!, FieldReader.Join(path, "jwksUri"), $"'{jwks.Value}' is not an https URL (plain http is accepted on loopback only)",
                "remove 'jwksUri:' to discover it from the issuer, or write the https URL of the IdP's keys");
        }

        var groupClaims = context.StringList(item, "groupClaims", path)?.Select(c => c.Value).ToList();
        var idpGroups = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.Mapping(item, "groups", path) is { } map)
        {
            var mapPath = FieldReader.Join(path, "groups");
            foreach (var (key, value) in map.Entries)
            {
                var idpGroup = key.Scalar ?? string.Empty;
                if (context.Scalar(value, FieldReader.Join(mapPath, idpGroup)) is { } target)
                {
                    CheckGroup(context, value, FieldReader.Join(mapPath, idpGroup), target.Value, groups);
                    idpGroups[idpGroup] = target.Value;
                }
            }
        }

        // Names an IdP sends are kept as groups only when no mapping is given: once an administrator maps some
        // groups, a stray IdP group that happens to share a gateway group's name must not grant its models.
        var keepUnmapped = context.Bool(item, "keepUnmappedGroups", path) ?? idpGroups.Count == 0;
        var rules = new List<ClaimGroupRule>();
        foreach (var (rule, rulePath) in context.MappingItems(item, "claimRules", path))
        {
            context.CheckKeys(rule, rulePath, RuleKeys);
            var claim = context.String(rule, "claim", rulePath, required: true);
            var value = context.String(rule, "value", rulePath, required: true);
            var group = context.String(rule, "group", rulePath, required: true);
            if (group is not null)
            {
                CheckGroup(context, rule.Get("group")!, FieldReader.Join(rulePath, "group"), group.Value, groups);
            }

            if (claim is not null && value is not null && group is not null)
            {
                rules.Add(new ClaimGroupRule(claim.Value, value.Value, group.Value));
            }
        }

        var costCentre = context.String(item, "costCentreClaim", path);
        var skew = context.Int(item, "clockSkewSeconds", path, 0, 600);
        if (issuer is null || audiences is null || audiences.Count == 0)
        {
            return null;
        }

        return new OidcIssuerOptions
        {
            Issuer = issuer.Value,
            Audiences = [.. audiences.Select(a => a.Value)],
            ClientId = clientId?.Value,
            JwksUri = jwks is not null && Uri.TryCreate(jwks.Value, UriKind.Absolute, out var uri) ? uri : null,
            ClockSkew = skew is { } s ? TimeSpan.FromSeconds(s) : JwtExpectations.DefaultClockSkew,
            CostCentreClaim = costCentre?.Value,
            Groups = new GroupMapping
            {
                GroupClaims = groupClaims ?? ["groups"],
                IdpGroups = idpGroups,
                KeepUnmappedGroups = keepUnmapped,
                ClaimRules = rules,
                Users = members,
            },
        };
    }

    private static AwsIdentityOptions? ReadAws(FieldReader context, InputNode identity, string path, IReadOnlyDictionary<string, GatewayGroup> groups, Dictionary<string, IReadOnlyList<string>> members)
    {
        var node = context.Mapping(identity, "aws", path);
        if (node is null)
        {
            return null;
        }

        var awsPath = FieldReader.Join(path, "aws");
        context.CheckKeys(node, awsPath, AwsKeys);
        var endpoint = context.String(node, "stsEndpoint", awsPath, required: true, fix: "add 'stsEndpoint: https://sts.REGION.amazonaws.com' (the gateway calls only this host)");
        var region = context.String(node, "region", awsPath, required: true, fix: "add 'region: us-east-1' (the region callers sign their tokens for)");
        var audience = context.String(node, "audience", awsPath);
        if (endpoint is not null && !IsAllowedUrl(endpoint.Value))
        {
            context.Error(GatewayDiagnosticCodes.BadIssuer, node.Get("stsEndpoint")!, FieldReader.Join(awsPath, "stsEndpoint"), $"'{endpoint.Value}' is not an https URL (plain http is accepted on loopback only)",
                "write the regional STS endpoint, e.g. https://sts.us-east-1.amazonaws.com");
            endpoint = null;
        }

        var rules = new List<ClaimGroupRule>();
        foreach (var (key, claim) in new[] { ("permissionSets", "aws:permissionSet"), ("roles", "aws:role"), ("accounts", "aws:account") })
        {
            if (context.Mapping(node, key, awsPath) is not { } map)
            {
                continue;
            }

            var mapPath = FieldReader.Join(awsPath, key);
            foreach (var (k, v) in map.Entries)
            {
                var name = k.Scalar ?? string.Empty;
                if (context.Scalar(v, FieldReader.Join(mapPath, name)) is { } group)
                {
                    CheckGroup(context, v, FieldReader.Join(mapPath, name), group.Value, groups);
                    rules.Add(new ClaimGroupRule(claim, name, group.Value));
                }
            }
        }

        return endpoint is null || region is null ? null : new AwsIdentityOptions
        {
            StsEndpoint = new Uri(endpoint.Value),
            Region = region.Value,
            Audience = audience?.Value,
            Groups = new GroupMapping { GroupClaims = [], ClaimRules = rules, Users = members },
        };
    }

    private static OAuthServerOptions? ReadOAuth(FieldReader context, InputNode identity, string path, string file, List<OidcIssuerOptions> issuers, AwsIdentityOptions? aws)
    {
        var node = context.Mapping(identity, "oauth", path);
        if (node is null)
        {
            return null;
        }

        var oauthPath = FieldReader.Join(path, "oauth");
        context.CheckKeys(node, oauthPath, OAuthKeys);
        var issuer = context.String(node, "issuer", oauthPath);
        if (issuer is not null && !IsAllowedUrl(issuer.Value))
        {
            context.Error(GatewayDiagnosticCodes.BadIssuer, node.Get("issuer")!, FieldReader.Join(oauthPath, "issuer"), $"'{issuer.Value}' is not an https URL (plain http is accepted on loopback only)",
                "write the gateway's public base URL, e.g. https://gateway.example.com, or remove 'issuer:' to use the listener's address");
        }

        var signInPath = FieldReader.Join(oauthPath, "signIn");
        var signIn = context.Mapping(node, "signIn", oauthPath);
        if (signIn is null)
        {
            context.Error(DeploymentDiagnosticCodes.MissingKey, node, signInPath, "the authorization server needs the IdP people sign in at",
                "add 'signIn: { issuer: ISSUER, clientId: CLIENT-ID }' naming one of the issuers under 'oidc:', or 'signIn: { identityCenter: { startUrl: URL, region: REGION } }'");
            return null;
        }

        context.CheckKeys(signIn, signInPath, SignInKeys);
        var identityCenter = ReadIdentityCenter(context, signIn, signInPath, aws);
        var viaIdentityCenter = signIn.Get("identityCenter") is { IsNull: false };
        if (viaIdentityCenter && (signIn.Get("issuer") is not null || signIn.Get("clientId") is not null))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, signIn, signInPath, "'signIn' names both an OIDC issuer and IAM Identity Center; people sign in at one of them",
                "keep either 'issuer:' with 'clientId:' or 'identityCenter:'");
        }

        var upstream = viaIdentityCenter ? null : context.String(signIn, "issuer", signInPath, required: true, fix: "name one of the issuers configured under 'oidc:', or use 'identityCenter:' instead");
        var clientId = viaIdentityCenter ? null : context.String(signIn, "clientId", signInPath, required: true, fix: "add 'clientId: ID' (the gateway's application at the IdP, with redirect URI <issuer>/oauth/callback)");
        var clientSecret = context.String(signIn, "clientSecret", signInPath, secret: true);
        var scopes = context.StringList(signIn, "scopes", signInPath)?.Select(v => v.Value).ToList();
        var configured = upstream is null ? null : issuers.FirstOrDefault(i => string.Equals(i.Issuer.TrimEnd('/'), upstream.Value.TrimEnd('/'), StringComparison.Ordinal));
        if (upstream is not null && configured is null)
        {
            context.Error(GatewayDiagnosticCodes.BadIssuer, signIn.Get("issuer")!, FieldReader.Join(signInPath, "issuer"), $"'{upstream.Value}' is not one of the issuers under 'oidc:'",
                issuers.Count == 0 ? "add the IdP under 'oidc:' (with its group mapping), then name it here" : $"use one of: {string.Join(", ", issuers.Select(i => i.Issuer))}");
        }

        var clients = new List<OAuthClient>();
        if (context.Mapping(node, "clients", oauthPath) is { } map)
        {
            var clientsPath = FieldReader.Join(oauthPath, "clients");
            foreach (var (key, value) in map.Entries)
            {
                var id = key.Scalar ?? string.Empty;
                var uris = new List<Uri>();
                foreach (var item in context.StringListOf(value, FieldReader.Join(clientsPath, id), id) ?? [])
                {
                    if (Uri.TryCreate(item.Value, UriKind.Absolute, out var uri) && uri.Fragment.Length == 0 && (uri.Scheme == Uri.UriSchemeHttps || IsAllowedUrl(item.Value)))
                    {
                        uris.Add(uri);
                    }
                    else
                    {
                        context.Error(DeploymentDiagnosticCodes.InvalidValue, value, FieldReader.Join(clientsPath, id), $"'{item.Value}' is not a usable redirect URI (https, or http on a loopback IP; no fragment)",
                            "write the exact redirect URI the client sends, e.g. http://127.0.0.1/callback (any port matches on loopback)");
                    }
                }

                clients.Add(new OAuthClient(id, uris));
            }
        }

        var access = context.Duration(node, "accessTokenLifetime", oauthPath, TimeSpan.FromMinutes(1), TimeSpan.FromHours(12));
        var refresh = context.Duration(node, "refreshTokenLifetime", oauthPath, TimeSpan.FromHours(1), TimeSpan.FromDays(365));
        var device = context.Duration(node, "deviceCodeLifetime", oauthPath, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        var interval = context.Duration(node, "pollInterval", oauthPath, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var sqlite = context.String(node, "sqlite", oauthPath)?.Value;
        var revocationCheck = context.Duration(node, "revocationCheckInterval", oauthPath, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        int? perAddress = null, gatewayWide = null, perDeviceCode = null;
        TimeSpan? attemptWindow = null;
        if (context.Mapping(node, "userCodeAttempts", oauthPath) is { } attempts)
        {
            var attemptsPath = FieldReader.Join(oauthPath, "userCodeAttempts");
            context.CheckKeys(attempts, attemptsPath, UserCodeAttemptKeys);
            perAddress = context.Int(attempts, "perAddress", attemptsPath, 1, 1000);
            gatewayWide = context.Int(attempts, "gatewayWide", attemptsPath, 1, 100_000);
            perDeviceCode = context.Int(attempts, "perDeviceCode", attemptsPath, 1, 1_000_000);
            attemptWindow = context.Duration(attempts, "window", attemptsPath, TimeSpan.FromMinutes(1), TimeSpan.FromHours(24));
        }

        if ((identityCenter is null && (configured is null || clientId is null)) || (issuer is not null && !IsAllowedUrl(issuer.Value)))
        {
            return null;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        var defaults = identityCenter is not null
            ? new OAuthServerOptions { IdentityCenter = identityCenter }
            : new OAuthServerOptions { SignIn = configured, SignInClientId = clientId!.Value };
        return defaults with
        {
            Issuer = issuer is null ? null : new Uri(issuer.Value),
            SignInScopes = scopes is { Count: > 0 } ? scopes : defaults.SignInScopes,
            SignInClientSecret = clientSecret?.Value,
            Clients = clients,
            AccessTokenLifetime = access ?? defaults.AccessTokenLifetime,
            RefreshTokenLifetime = refresh ?? defaults.RefreshTokenLifetime,
            DeviceCodeLifetime = device ?? defaults.DeviceCodeLifetime,
            PollInterval = interval ?? defaults.PollInterval,
            RevocationCheckInterval = revocationCheck ?? defaults.RevocationCheckInterval,
            UserCodeFailuresPerAddress = perAddress ?? defaults.UserCodeFailuresPerAddress,
            UserCodeFailuresGatewayWide = gatewayWide ?? defaults.UserCodeFailuresGatewayWide,
            UserCodeFailuresPerDeviceCode = perDeviceCode ?? defaults.UserCodeFailuresPerDeviceCode,
            UserCodeFailureWindow = attemptWindow ?? defaults.UserCodeFailureWindow,
            SqliteFile = Path.GetFullPath(Path.Combine(directory, sqlite ?? "gateway-oauth.db")),
        };
    }

    /// <summary>
    /// <c>signIn.identityCenter</c>: the access portal and its region, named like the deployment file's <c>auth.sso</c>.
    /// The person is mapped like a presigned GetCallerIdentity caller, so <c>identity.aws</c> must be configured.
    /// </summary>
    private static IdentityCenterSignInOptions? ReadIdentityCenter(FieldReader context, InputNode signIn, string signInPath, AwsIdentityOptions? aws)
    {
        if (context.Mapping(signIn, "identityCenter", signInPath) is not { } node)
        {
            return null;
        }

        var path = FieldReader.Join(signInPath, "identityCenter");
        context.CheckKeys(node, path, IdentityCenterKeys);
        var startUrl = context.String(node, "startUrl", path, required: true, fix: "add 'startUrl: https://d-xxxxxxxxxx.awsapps.com/start' (the AWS access portal URL, IAM Identity Center > Settings)");
        var region = context.String(node, "region", path, required: true, fix: "add 'region: us-east-1' (the region IAM Identity Center is enabled in)");
        var accountId = context.String(node, "accountId", path);
        var roleName = context.String(node, "roleName", path);
        if (startUrl is not null && !IsAllowedUrl(startUrl.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, node.Get("startUrl")!, FieldReader.Join(path, "startUrl"), $"'{startUrl.Value}' is not an https URL",
                "write the AWS access portal URL, e.g. https://d-xxxxxxxxxx.awsapps.com/start");
            startUrl = null;
        }

        if (accountId is not null && (accountId.Value.Length != 12 || !accountId.Value.All(char.IsAsciiDigit)))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, node.Get("accountId")!, FieldReader.Join(path, "accountId"), $"'{accountId.Value}' is not a 12-digit AWS account id",
                "quote the account id so leading zeros survive: accountId: \"012345678901\"");
            accountId = null;
        }

        Uri? oidc = null, portal = null;
        foreach (var (key, set) in new (string Key, Action<Uri> Set)[] { ("oidcEndpoint", u => oidc = u), ("portalEndpoint", u => portal = u) })
        {
            if (context.String(node, key, path) is { } value)
            {
                if (IsAllowedUrl(value.Value))
                {
                    set(new Uri(value.Value));
                }
                else
                {
                    context.Error(GatewayDiagnosticCodes.BadIssuer, node.Get(key)!, FieldReader.Join(path, key), $"'{value.Value}' is not an https URL (plain http is accepted on loopback only)",
                        "remove it to use the public regional endpoint, or write the https URL of the VPC endpoint");
                }
            }
        }

        if (aws is null)
        {
            context.Error(DeploymentDiagnosticCodes.MissingKey, node, path, "IAM Identity Center sign-in maps people by their AWS identity, and 'identity.aws' is not configured",
                "add 'identity.aws' with stsEndpoint, region and permissionSets (permission set → group), the same mapping presigned AWS identity tokens use");
        }

        return startUrl is null || region is null || aws is null ? null : new IdentityCenterSignInOptions
        {
            StartUrl = startUrl.Value,
            Region = region.Value,
            AccountId = accountId?.Value,
            RoleName = roleName?.Value,
            OidcEndpoint = oidc,
            PortalEndpoint = portal,
            Aws = aws,
        };
    }

    private static string? ReadKeyStore(FieldReader context, InputNode identity, string path, string file)
    {
        var node = identity.Get("managedKeys");
        if (node is null || node.IsNull)
        {
            return null;
        }

        var keysPath = FieldReader.Join(path, "managedKeys");
        string? sqlite = null;
        if (node.Kind == InputNodeKind.Scalar)
        {
            // 'managedKeys: true' = on with the default file; 'false' = off.
            if (context.Bool(identity, "managedKeys", path) is not true)
            {
                return null;
            }
        }
        else if (context.Mapping(identity, "managedKeys", path) is { } mapping)
        {
            context.CheckKeys(mapping, keysPath, ManagedKeyKeys);
            sqlite = context.String(mapping, "sqlite", keysPath)?.Value;
        }
        else
        {
            return null;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        return Path.GetFullPath(Path.Combine(directory, sqlite ?? GatewayIdentity.DefaultKeyStore));
    }

    private static void CheckGroup(FieldReader context, InputNode node, string path, string group, IReadOnlyDictionary<string, GatewayGroup> groups)
    {
        if (!groups.ContainsKey(group))
        {
            var suggestion = FieldReader.Suggest(group, groups.Keys);
            context.Error(GatewayDiagnosticCodes.UnknownIdentityGroup, node, path, $"group '{group}' is not configured under 'groups:'",
                suggestion is null ? "add the group under 'groups:' with the models it may use, or fix the name" : $"did you mean '{suggestion}'?");
        }
    }

    /// <summary>https anywhere; http only to a loopback host (a local test IdP), never across a network.</summary>
    private static bool IsAllowedUrl(string text)
        => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Length == 0
           && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));
}
