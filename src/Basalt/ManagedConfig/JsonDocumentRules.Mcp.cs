using System.Text.Json;
using System.Text.RegularExpressions;

namespace Basalt.ManagedConfig;

/// <summary><c>managedMcpServers</c> (cowork3p-reference §2.8, §11.3–11.5): transports, headers or OAuth, deprecated forms.</summary>
internal static partial class JsonDocumentRules
{
    private static void McpServers(ValidationContext ctx, string key, JsonElement servers)
    {
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
}
