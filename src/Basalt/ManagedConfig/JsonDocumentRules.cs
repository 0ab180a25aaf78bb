using System.Text.Json;
using System.Text.RegularExpressions;

namespace Basalt.ManagedConfig;

/// <summary>
/// Rules inside the JSON-valued keys (cowork3p-reference §2.4, §2.5, §2.8, §2.9, §6.3, §11.3–11.7): MCP servers,
/// OIDC objects, banner, workspace folders, egress hosts, tool policy, plugin settings.
/// </summary>
internal static partial class JsonDocumentRules
{
    private static readonly string[] WorkspaceVariables = ["%OneDrive%", "%OneDriveCommercial%", "%OneDriveConsumer%", "%APPDATA%", "%LOCALAPPDATA%", "%USERNAME%", "%XDG_DOCUMENTS_DIR%"];

    public static void Apply(ValidationContext ctx)
    {
        if (ctx.Json("managedMcpServers") is { } mcp)
        {
            McpServers(ctx, mcp);
        }

        foreach (var key in new[] { "inferenceGatewayOidc", "inferenceVertexWorkforceOidc", "bootstrapOidc", "inferenceIdpOidc" })
        {
            if (ctx.Json(key) is { } oidc)
            {
                Oidc(ctx, key, oidc);
            }
        }

        if (ctx.Json("banner") is { } banner)
        {
            Banner(ctx, banner);
        }

        if (ctx.Json("allowedWorkspaceFolders") is { } folders)
        {
            WorkspaceFolders(ctx, folders);
        }

        if (ctx.Json("coworkEgressAllowedHosts") is { } hosts)
        {
            EgressHosts(ctx, hosts);
        }

        if (ctx.Json("builtinToolPolicy") is { } policy)
        {
            ToolPolicy(ctx, policy);
        }

        if (ctx.Json("orgPluginSettings") is { } plugins)
        {
            OrgPluginSettings(ctx, plugins);
        }

        if (ctx.Json("claudeAiImport") is { } import && import.TryGetProperty("bannerBehavior", out var bb)
            && (bb.ValueKind != JsonValueKind.String || bb.GetString() is not ("off" or "detect" or "show")))
        {
            ctx.Error(ConfigDiagnosticCodes.WrongJsonShape, "claudeAiImport",
                "claudeAiImport.bannerBehavior must be \"off\", \"detect\" or \"show\".", "Use one of off, detect, show.");
        }

        if (ctx.Json("inferenceModelPricing") is { } pricing)
        {
            Pricing(ctx, pricing);
        }
    }

    private static void McpServers(ValidationContext ctx, JsonElement servers)
    {
        const string key = "managedMcpServers";
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = -1;
        foreach (var s in servers.EnumerateArray())
        {
            i++;
            var name = Str(s, "name");
            var at = name is null ? $"managedMcpServers[{i}]" : $"managedMcpServers[{i}] (\"{name}\")";
            if (name is null)
            {
                ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at} has no \"name\"; it is required and must be unique.", "Add \"name\".");
            }
            else if (!names.Add(name))
            {
                ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}: the name \"{name}\" is used by an earlier entry; names must be unique.", "Rename one of them.");
            }

            var builtin = Str(s, "server");
            if (builtin is not null && builtin is not ("microsoft365" or "websearch" or "github"))
            {
                ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}.server is \"{builtin}\"; built-in servers are microsoft365, websearch, github.", "Use a built-in server name or remove \"server\".");
            }

            if (builtin == "websearch" && Str(s, "provider") is { } wp && wp is not ("brave" or "tavily" or "exa" or "custom"))
            {
                ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}.provider is \"{wp}\"; websearch takes brave, tavily, exa or custom.", "Use one of those providers.");
            }

            if (Str(s, "azureCloud") is { } cloud && cloud is not ("global" or "us-gov-high" or "us-gov-dod"))
            {
                ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}.azureCloud is \"{cloud}\"; expected global, us-gov-high or us-gov-dod.", "Use one of those values.");
            }

            var transport = Str(s, "transport");
            if (transport == "builtin" || (transport is null && builtin is null) || s.TryGetProperty("source", out _) || s.TryGetProperty("authorityHost", out _)
                || (s.TryGetProperty("oauth", out var o0) && o0.ValueKind is JsonValueKind.String or JsonValueKind.Number))
            {
                McpDeprecated(ctx, at, s, transport, builtin);
            }

            if (transport is not null && transport is not ("http" or "sse" or "stdio" or "builtin"))
            {
                ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}.transport is \"{transport}\"; expected http, sse or stdio.", "Use http (the default), sse or stdio.");
            }

            if (builtin is null && transport is null or "http" or "sse")
            {
                var url = Str(s, "url");
                if (url is null)
                {
                    ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at} needs \"url\" for the {transport ?? "http"} transport.", "Add \"url\": \"https://…\".");
                }
                else if (!IsHttpsUrl(url))
                {
                    ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}.url must be an https:// URL without user:pass@.", "Use https:// and move credentials to headers or oauth.");
                }
            }

            if (transport == "stdio")
            {
                var command = Str(s, "command");
                if (command is null || !(command.StartsWith('/') || AbsoluteWindows().IsMatch(command)))
                {
                    ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}: stdio servers need \"command\" as an absolute path.", "Set \"command\" to the full path of the executable.");
                }
            }

            var hasHeaders = s.TryGetProperty("headers", out _) || s.TryGetProperty("headersHelper", out _);
            if (hasHeaders && s.TryGetProperty("oauth", out var oauthAlso) && oauthAlso.ValueKind != JsonValueKind.False)
            {
                ctx.Error(ConfigDiagnosticCodes.McpHeadersAndOauth, key, $"{at} sets both headers/headersHelper and oauth, which are mutually exclusive.",
                    "Keep either static headers (or headersHelper) or oauth.");
            }

            if (s.TryGetProperty("oauth", out var oauth) && oauth.ValueKind == JsonValueKind.Object)
            {
                McpOauth(ctx, at, oauth);
            }

            if (s.TryGetProperty("toolPolicy", out var tp))
            {
                if (tp.ValueKind != JsonValueKind.Object)
                {
                    ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}.toolPolicy must be an object of tool name → allow|ask|blocked.", "Write e.g. {\"*\":\"ask\"}.");
                }
                else
                {
                    foreach (var p in tp.EnumerateObject())
                    {
                        if (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() is not ("allow" or "ask" or "blocked"))
                        {
                            ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}.toolPolicy[\"{p.Name}\"] must be allow, ask or blocked.", "Use allow, ask or blocked.");
                        }
                    }
                }
            }
        }
    }

    private static void McpDeprecated(ValidationContext ctx, string at, JsonElement s, string? transport, string? builtin)
    {
        var forms = new List<string>();
        if (transport == "builtin")
        {
            forms.Add("transport \"builtin\" (remove it)");
        }

        if (transport is null && builtin is null)
        {
            forms.Add("no \"transport\" (add \"transport\": \"http\")");
        }

        if (s.TryGetProperty("source", out _))
        {
            forms.Add("\"source\" (remove it)");
        }

        if (s.TryGetProperty("authorityHost", out _))
        {
            forms.Add("\"authorityHost\" (use \"azureCloud\")");
        }

        if (s.TryGetProperty("oauth", out var o) && o.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            forms.Add("\"oauth\" as a string or number (use true or an object)");
        }

        ctx.Report(ctx.CutoffPassed ? Diagnostics.DiagnosticSeverity.Error : Diagnostics.DiagnosticSeverity.Warning,
            ConfigDiagnosticCodes.McpDeprecatedForm, "managedMcpServers",
            $"{at} uses deprecated form(s): {string.Join("; ", forms)}; {(ctx.CutoffPassed ? $"{ctx.CutoffText}, so the app rejects the entry" : ctx.CutoffText)}.",
            "Apply the replacements listed.");
    }

    private static void McpOauth(ValidationContext ctx, string at, JsonElement oauth)
    {
        const string key = "managedMcpServers";
        if (oauth.TryGetProperty("scopes", out _))
        {
            ctx.Report(ctx.CutoffPassed ? Diagnostics.DiagnosticSeverity.Error : Diagnostics.DiagnosticSeverity.Warning,
                ConfigDiagnosticCodes.McpDeprecatedForm, key, $"{at}.oauth.scopes is deprecated ({ctx.CutoffText}).", "Use \"scope\" (one space-separated string).");
        }

        if (oauth.TryGetProperty("callbackPort", out var port) && (!port.TryGetInt32(out var p) || p is < 1024 or > 65535))
        {
            ctx.Error(ConfigDiagnosticCodes.OutOfRange, key, $"{at}.oauth.callbackPort must be an integer 1024–65535.", "Use a port such as 53280 (the default).");
        }

        if (Str(oauth, "callbackHost") is { } host && host is not ("127.0.0.1" or "localhost"))
        {
            ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}.oauth.callbackHost must be 127.0.0.1 or localhost.", "Use 127.0.0.1 (the default).");
        }

        if (oauth.TryGetProperty("tenantId", out _) && Str(oauth, "scope") is null)
        {
            ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}.oauth sets tenantId without scope; scope is required when tenantId is set.", "Add \"scope\".");
        }

        if ((oauth.TryGetProperty("clientSecret", out _) || oauth.TryGetProperty("clientSecretHelper", out _)) && !oauth.TryGetProperty("authorizationServer", out _))
        {
            ctx.Error(ConfigDiagnosticCodes.McpServerInvalid, key, $"{at}.oauth uses a client secret without authorizationServer, which is required then.", "Add \"authorizationServer\": [\"https://…\"].");
        }
    }

    private static void Oidc(ValidationContext ctx, string key, JsonElement oidc)
    {
        if (oidc.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var gatewayNote = key == "inferenceGatewayOidc" ? " A malformed inferenceGatewayOidc makes the app fall back to gateway-as-authorization-server mode (\"server does not advertise device_authorization_endpoint\")." : string.Empty;
        if (Str(oidc, "clientId") is null)
        {
            ctx.Error(ConfigDiagnosticCodes.OidcInvalid, key, $"{key}.clientId is required.{gatewayNote}", "Add \"clientId\" (a public/native client registration).");
        }

        var issuer = Str(oidc, "issuer");
        var hasEndpoints = Str(oidc, "authorizationUrl") is not null && Str(oidc, "tokenUrl") is not null;
        if (issuer is null && !hasEndpoints)
        {
            ctx.Error(ConfigDiagnosticCodes.OidcInvalid, key, $"{key} needs \"issuer\", or both \"authorizationUrl\" and \"tokenUrl\".{gatewayNote}", "Add \"issuer\": \"https://idp.example.com\".");
        }

        if (issuer is not null)
        {
            if (issuer.Contains("/.well-known/", StringComparison.Ordinal))
            {
                ctx.Error(ConfigDiagnosticCodes.IssuerWellKnown, key,
                    $"{key}.issuer includes the metadata path; the app appends /.well-known/openid-configuration itself and discovery fails with HTTP 404/405.",
                    $"Use \"{issuer[..issuer.IndexOf("/.well-known/", StringComparison.Ordinal)]}\".");
            }
            else if (!IsHttpsUrl(issuer))
            {
                ctx.Error(ConfigDiagnosticCodes.OidcInvalid, key, $"{key}.issuer must be an https:// URL.", "Use the IdP's issuer URL.");
            }
        }

        if (Str(oidc, "bearerTokenType") is { } btt)
        {
            if (btt is not ("id_token" or "access_token"))
            {
                ctx.Error(ConfigDiagnosticCodes.OidcInvalid, key, $"{key}.bearerTokenType is \"{btt}\"; expected id_token or access_token.", "Use id_token (default) or access_token.");
            }
            else if (btt == "access_token" && !oidc.TryGetProperty("scopes", out _))
            {
                ctx.Error(ConfigDiagnosticCodes.OidcInvalid, key, $"{key}.bearerTokenType is access_token but \"scopes\" is not set; scopes are required in access_token mode.",
                    "Add \"scopes\" with the API scope your gateway validates.");
            }
        }

        if (oidc.TryGetProperty("redirectPort", out var port) && (!port.TryGetInt32(out var p) || p is < 1 or > 65535))
        {
            ctx.Error(ConfigDiagnosticCodes.OutOfRange, key, $"{key}.redirectPort must be an integer 1–65535.", "Use a fixed loopback port such as 53180, or remove it for an ephemeral port.");
        }

        var flowKey = key switch
        {
            "inferenceGatewayOidc" => "inferenceGatewayOidcAuthFlow",
            "inferenceVertexWorkforceOidc" => "inferenceVertexWorkforceAuthFlow",
            _ => null,
        };
        if (flowKey is not null && ctx.Value(flowKey) == "broker" && issuer is not null && !EntraIssuer().IsMatch(issuer))
        {
            ctx.Error(ConfigDiagnosticCodes.BrokerNeedsEntraIssuer, flowKey,
                $"{flowKey} is \"broker\", which requires an Entra issuer https://login.microsoftonline.com/{{tenant-id}}/v2.0; {key}.issuer is another IdP.",
                "Use \"browser\", or point issuer at Entra.");
        }
    }

    private static void Banner(ValidationContext ctx, JsonElement banner)
    {
        const string key = "banner";
        var enabled = banner.TryGetProperty("enabled", out var e) && e.ValueKind == JsonValueKind.True;
        var text = Str(banner, "text");
        if (enabled && string.IsNullOrWhiteSpace(text))
        {
            ctx.Error(ConfigDiagnosticCodes.BannerInvalid, key, "banner.enabled is true but banner.text is missing; text is required when enabled.", "Add \"text\" (one line, up to 200 characters).");
        }

        if (text is not null && (text.Length > 200 || text.Contains('\n', StringComparison.Ordinal)))
        {
            ctx.Error(ConfigDiagnosticCodes.BannerInvalid, key, $"banner.text must be a single line of at most 200 characters (it has {text.Length}{(text.Contains('\n', StringComparison.Ordinal) ? " and a line break" : string.Empty)}).",
                "Shorten it and put details behind linkUrl.");
        }

        foreach (var color in new[] { "backgroundColor", "textColor" })
        {
            if (banner.TryGetProperty(color, out var c) && (c.ValueKind != JsonValueKind.String || !HexColor().IsMatch(c.GetString()!)))
            {
                ctx.Error(ConfigDiagnosticCodes.BannerInvalid, key, $"banner.{color} must be a six-digit hex color #RRGGBB.", $"Use e.g. \"{(color == "textColor" ? "#000000" : "#F5F5F5")}\".");
            }
        }

        if (Str(banner, "linkUrl") is { } link && !IsHttpsUrl(link))
        {
            ctx.Error(ConfigDiagnosticCodes.BannerInvalid, key, "banner.linkUrl must be an https:// URL without user:pass@.", "Use an https:// link.");
        }
    }

    private static void WorkspaceFolders(ValidationContext ctx, JsonElement folders)
    {
        const string key = "allowedWorkspaceFolders";
        var i = -1;
        foreach (var f in folders.EnumerateArray())
        {
            i++;
            string? path;
            if (f.ValueKind == JsonValueKind.Object)
            {
                path = Str(f, "path");
                if (path is null)
                {
                    ctx.Error(ConfigDiagnosticCodes.WorkspaceFolderInvalid, key, $"allowedWorkspaceFolders[{i}] has no \"path\".", "Add \"path\".");
                    continue;
                }

                if (f.TryGetProperty("mode", out var mode))
                {
                    if (mode.ValueKind != JsonValueKind.String || mode.GetString() is not ("rw" or "ro"))
                    {
                        ctx.Error(ConfigDiagnosticCodes.WorkspaceFolderInvalid, key, $"allowedWorkspaceFolders[{i}].mode must be \"rw\" or \"ro\".", "Use rw or ro.");
                    }
                    else if (ctx.Target is { } t && t < AppVersion.Create(1, 26832))
                    {
                        ctx.Warning(ConfigDiagnosticCodes.KeyNewerThanApp, key, $"allowedWorkspaceFolders[{i}].mode needs v1.26832.0; app {t} ignores it.", "Upgrade or drop \"mode\".");
                    }
                }

                if (f.TryGetProperty("isDefaultSelected", out var ds) && ds.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    ctx.Error(ConfigDiagnosticCodes.WorkspaceFolderInvalid, key, $"allowedWorkspaceFolders[{i}].isDefaultSelected must be a JSON boolean.", "Write true or false without quotes.");
                }
            }
            else
            {
                path = f.GetString();
            }

            if (string.IsNullOrWhiteSpace(path))
            {
                ctx.Error(ConfigDiagnosticCodes.WorkspaceFolderInvalid, key, $"allowedWorkspaceFolders[{i}] is an empty path.", "Remove it or write a path.");
                continue;
            }

            foreach (Match m in PercentVariable().Matches(path))
            {
                if (!WorkspaceVariables.Contains(m.Value, StringComparer.OrdinalIgnoreCase))
                {
                    ctx.Warning(ConfigDiagnosticCodes.WorkspaceFolderVariable, key,
                        $"allowedWorkspaceFolders[{i}] uses {m.Value}, which the app does not expand, so the entry is ignored.",
                        $"Use ~ or one of {string.Join(", ", WorkspaceVariables)}.");
                }
            }

            if (path.StartsWith(@"\\", StringComparison.Ordinal))
            {
                ctx.Warning(ConfigDiagnosticCodes.WorkspaceFolderInvalid, key, $"allowedWorkspaceFolders[{i}] is a UNC path; UNC paths and mapped drives are not supported.", "Use a local folder.");
            }
        }
    }

    private static void EgressHosts(ValidationContext ctx, JsonElement hosts)
    {
        const string key = "coworkEgressAllowedHosts";
        var i = -1;
        foreach (var h in hosts.EnumerateArray())
        {
            i++;
            var entry = h.GetString() ?? string.Empty;
            if (entry == "*")
            {
                continue;
            }

            if (entry.Contains('[', StringComparison.Ordinal) || entry.Count(c => c == ':') > 1)
            {
                ctx.Warning(ConfigDiagnosticCodes.EgressHostInvalid, key, $"coworkEgressAllowedHosts[{i}] \"{entry}\" is an IPv6 literal, which is not supported; the entry is dropped.", "Use a host name.");
                continue;
            }

            var hostPart = entry;
            var colon = entry.LastIndexOf(':');
            if (colon >= 0)
            {
                hostPart = entry[..colon];
                if (!int.TryParse(entry[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                {
                    ctx.Warning(ConfigDiagnosticCodes.EgressHostInvalid, key, $"coworkEgressAllowedHosts[{i}] \"{entry}\" has an invalid port; the entry is dropped.", "Use host:port with a port 1–65535.");
                    continue;
                }

                ctx.Info(ConfigDiagnosticCodes.EgressHostInvalid, key,
                    $"coworkEgressAllowedHosts[{i}] \"{entry}\" has a :port suffix; builds that predate the port feature invalidate the whole shell allowlist because of it.",
                    "Make sure the fleet runs a build with port support, or drop the port.");
            }

            if (!HostPattern().IsMatch(hostPart))
            {
                ctx.Warning(ConfigDiagnosticCodes.EgressHostInvalid, key,
                    $"coworkEgressAllowedHosts[{i}] \"{entry}\" is not a host, *.domain wildcard or IP address; the app drops it with a log warning.",
                    "Write a bare host such as pypi.org or *.example.com (no scheme or path).");
            }
        }
    }

    private static void ToolPolicy(ValidationContext ctx, JsonElement policy)
    {
        const string key = "builtinToolPolicy";
        foreach (var p in policy.EnumerateObject())
        {
            var value = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
            if (value == "blocked")
            {
                ctx.Error(ConfigDiagnosticCodes.ToolPolicyInvalid, key, $"builtinToolPolicy[\"{p.Name}\"] is \"blocked\", which this key rejects.", $"Add \"{p.Name}\" to disabledBuiltinTools instead.");
            }
            else if (value == "ask-session")
            {
                ctx.Report(ctx.CutoffPassed ? Diagnostics.DiagnosticSeverity.Error : Diagnostics.DiagnosticSeverity.Warning,
                    ConfigDiagnosticCodes.DeprecatedEnumValue, key, $"builtinToolPolicy[\"{p.Name}\"] = \"ask-session\" is deprecated and read as \"ask\" ({ctx.CutoffText}).", "Use \"ask\".");
            }
            else if (value is not ("allow" or "ask"))
            {
                ctx.Error(ConfigDiagnosticCodes.ToolPolicyInvalid, key, $"builtinToolPolicy[\"{p.Name}\"] must be \"allow\" or \"ask\".", "Use allow or ask.");
            }

            var tool = p.Name.Split('(')[0];
            var scoped = p.Name.Contains('(', StringComparison.Ordinal);
            if (!KeyCatalogue.BuiltinTools.Contains(tool) || (scoped && !ScopedRule().IsMatch(p.Name)))
            {
                ctx.Warning(ConfigDiagnosticCodes.ToolPolicyInvalid, key, $"builtinToolPolicy key \"{p.Name}\" is not a built-in tool or a Tool(argument) rule; the app drops it with an error.",
                    $"Use one of: {string.Join(", ", KeyCatalogue.BuiltinTools)}.");
            }
            else if (scoped && ctx.Target is { } t && t < AppVersion.Create(1, 37937))
            {
                ctx.Warning(ConfigDiagnosticCodes.ToolPolicyInvalid, key, $"builtinToolPolicy key \"{p.Name}\" is argument-scoped, which needs v1.37937.0; app {t} does not accept it.", $"Use \"{tool}\".");
            }
        }
    }

    private static void OrgPluginSettings(ValidationContext ctx, JsonElement plugins)
    {
        const string key = "orgPluginSettings";
        if (plugins.ValueKind == JsonValueKind.Object)
        {
            ctx.Report(ctx.CutoffPassed ? Diagnostics.DiagnosticSeverity.Error : Diagnostics.DiagnosticSeverity.Warning,
                ConfigDiagnosticCodes.OrgPluginRecordForm, key,
                $"orgPluginSettings uses the deprecated {{\"mcpServers\":{{…}}}} record form; {(ctx.CutoffPassed ? $"{ctx.CutoffText}, so the record is rejected and all plugin MCP tools are blocked" : ctx.CutoffText)}.",
                "Use the array form [{\"serverName\":\"…\",\"tools\":[{\"toolName\":\"…\",\"permission\":\"allow\"}]}] (read by 1.15200.0+).");
            return;
        }

        var i = -1;
        foreach (var e in plugins.EnumerateArray())
        {
            i++;
            if (Str(e, "serverName") is null || !e.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
            {
                ctx.Error(ConfigDiagnosticCodes.WrongJsonShape, key, $"orgPluginSettings[{i}] needs \"serverName\" and a \"tools\" array.", "Write {\"serverName\":\"…\",\"tools\":[{\"toolName\":\"…\",\"permission\":\"allow\"}]}.");
            }
        }
    }

    private static void Pricing(ValidationContext ctx, JsonElement pricing)
    {
        var i = -1;
        foreach (var e in pricing.EnumerateArray())
        {
            i++;
            if (Str(e, "name") is null)
            {
                ctx.Error(ConfigDiagnosticCodes.WrongJsonShape, "inferenceModelPricing", $"inferenceModelPricing[{i}] has no \"name\".", "Add the model name the price applies to.");
            }

            foreach (var field in new[] { "inputPerMtok", "outputPerMtok", "cacheReadPerMtok", "cacheWritePerMtok" })
            {
                if (e.TryGetProperty(field, out var v) && (v.ValueKind != JsonValueKind.Number || v.GetDouble() < 0))
                {
                    ctx.Error(ConfigDiagnosticCodes.WrongJsonShape, "inferenceModelPricing", $"inferenceModelPricing[{i}].{field} must be a non-negative JSON number.", "Write the price per million tokens as a number.");
                }
            }
        }
    }

    private static string? Str(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Trim().Length > 0 ? v.GetString() : null;

    private static bool IsHttpsUrl(string url)
        => Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == "https" && u.Host.Length > 0 && u.UserInfo.Length == 0;

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexColor();

    [GeneratedRegex("%[A-Za-z_][A-Za-z0-9_]*%", RegexOptions.CultureInvariant)]
    private static partial Regex PercentVariable();

    [GeneratedRegex(@"^(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[A-Za-z]+\(.+\)$", RegexOptions.CultureInvariant)]
    private static partial Regex ScopedRule();

    [GeneratedRegex(@"^https://login\.microsoftonline\.(?:com|us)/[^/]+/v2\.0/?$", RegexOptions.CultureInvariant)]
    private static partial Regex EntraIssuer();

    [GeneratedRegex(@"^[A-Za-z]:[\\/]", RegexOptions.CultureInvariant)]
    private static partial Regex AbsoluteWindows();
}
