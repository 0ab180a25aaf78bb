using System.Text.Json;
using System.Text.RegularExpressions;

namespace Basalt.ManagedConfig;

/// <summary>Organization policy documents: banner, workspace folders, egress hosts, tool policy, plugin settings, model pricing (§2.5, §2.9, §11.6–11.7).</summary>
internal static partial class JsonDocumentRules
{
    private static void Banner(ValidationContext ctx, string key, JsonElement banner)
    {
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

    private static void WorkspaceFolders(ValidationContext ctx, string key, JsonElement folders)
    {
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

    private static void EgressHosts(ValidationContext ctx, string key, JsonElement hosts)
    {
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

    private static void ToolPolicy(ValidationContext ctx, string key, JsonElement policy)
    {
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

    private static void OrgPluginSettings(ValidationContext ctx, string key, JsonElement plugins)
    {
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

    private static void Pricing(ValidationContext ctx, string key, JsonElement pricing)
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
}
