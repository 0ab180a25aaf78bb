using System.Text.Json;
using System.Text.RegularExpressions;

namespace Basalt.ManagedConfig;

/// <summary>
/// Rules inside the JSON-valued keys (cowork3p-reference §2.4, §2.5, §2.8, §2.9, §6.3, §11.3–11.7): MCP servers,
/// OIDC objects, banner, workspace folders, egress hosts, tool policy, plugin settings. Which key gets which rule is
/// catalogue data (<see cref="KeyDefinition.JsonRule"/>, with <see cref="KeyDefinition.AuthFlowKey"/> and
/// <see cref="KeyDefinition.MalformedConsequence"/> for the OIDC objects); this class holds the rules themselves,
/// one file per family.
/// </summary>
internal static partial class JsonDocumentRules
{
    private static readonly string[] WorkspaceVariables = ["%OneDrive%", "%OneDriveCommercial%", "%OneDriveConsumer%", "%APPDATA%", "%LOCALAPPDATA%", "%USERNAME%", "%XDG_DOCUMENTS_DIR%"];

    private static readonly Dictionary<JsonDocumentRule, Action<ValidationContext, string, JsonElement>> Rules = new()
    {
        [JsonDocumentRule.McpServers] = McpServers,
        [JsonDocumentRule.Oidc] = Oidc,
        [JsonDocumentRule.Banner] = Banner,
        [JsonDocumentRule.WorkspaceFolders] = WorkspaceFolders,
        [JsonDocumentRule.EgressHosts] = EgressHosts,
        [JsonDocumentRule.ToolPolicy] = ToolPolicy,
        [JsonDocumentRule.OrgPluginSettings] = OrgPluginSettings,
        [JsonDocumentRule.ClaudeAiImport] = ClaudeAiImport,
        [JsonDocumentRule.ModelPricing] = Pricing,
    };

    /// <summary>The keys that carry a rule, grouped in rule order (the order findings are reported in).</summary>
    private static readonly (string Key, JsonDocumentRule Rule)[] RuleKeys =
        [.. KeyCatalogue.All.Where(k => k.JsonRule != JsonDocumentRule.None).OrderBy(k => k.JsonRule).Select(k => (k.Name, k.JsonRule))];

    public static void Apply(ValidationContext ctx)
    {
        foreach (var (key, rule) in RuleKeys)
        {
            if (ctx.Json(key) is { } document)
            {
                Rules[rule](ctx, key, document);
            }
        }
    }

    private static void ClaudeAiImport(ValidationContext ctx, string key, JsonElement import)
    {
        if (import.TryGetProperty("bannerBehavior", out var bb) && (bb.ValueKind != JsonValueKind.String || bb.GetString() is not ("off" or "detect" or "show")))
        {
            ctx.Error(ConfigDiagnosticCodes.WrongJsonShape, key,
                "claudeAiImport.bannerBehavior must be \"off\", \"detect\" or \"show\".", "Use one of off, detect, show.");
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
