namespace Basalt.ManagedConfig;

/// <summary>
/// Key-level rules (cowork3p-reference §11.1): unknown and misspelled keys, dotted sub-keys, removed and deprecated
/// keys with their replacement and cut-off, keys newer than the target app. Keys the app will not read are moved
/// from the effective set to the ignored list.
/// </summary>
internal static class KeyRules
{
    public static void Apply(ValidationContext ctx)
    {
        foreach (var entry in ctx.EffectiveOrder.ToList())
        {
            var def = KeyCatalogue.Find(entry.Key);
            if (def is null)
            {
                Unknown(ctx, entry);
                continue;
            }

            if (def.RemovedIn is { } removed && ctx.IsAtLeast(removed))
            {
                ctx.Warning(ConfigDiagnosticCodes.RemovedKey, entry.Key,
                    $"'{entry.Key}' was removed in v{removed}; {ctx.TargetText} ignores it.", $"Delete '{entry.Key}'.");
                ctx.Ignore(entry, $"removed in v{removed}", ConfigDiagnosticCodes.RemovedKey);
                continue;
            }

            if (ctx.Target is { } target && target < def.Since)
            {
                ctx.Warning(ConfigDiagnosticCodes.KeyNewerThanApp, entry.Key,
                    $"'{entry.Key}' was introduced in v{def.Since}; app {target} does not read it.",
                    $"Upgrade the fleet to v{def.Since} or later, or do not rely on '{entry.Key}'.");
                ctx.Ignore(entry, $"introduced in v{def.Since}, newer than app {target}", ConfigDiagnosticCodes.KeyNewerThanApp);
                continue;
            }

            if (def.IsDeprecated && Deprecated(ctx, entry, def))
            {
                continue;
            }

            if (def.Unconfirmed)
            {
                ctx.Info(ConfigDiagnosticCodes.UnconfirmedKey, entry.Key,
                    $"'{entry.Key}' appears only in third-party material, not in Anthropic's documentation; the app may ignore it.",
                    "Verify on a test device with Help → Troubleshooting → Copy Managed Configuration Report.");
            }
        }
    }

    /// <returns>True when the app ignores the key.</returns>
    private static bool Deprecated(ValidationContext ctx, ConfigEntry entry, KeyDefinition def)
    {
        var replacement = def.Replacement is null ? "remove it" : $"use '{def.Replacement}' instead";
        if (def.Replacement is not null && ctx.IsPresent(def.Replacement))
        {
            ctx.Warning(ConfigDiagnosticCodes.RenamedKeyBothSet, entry.Key,
                $"Both '{entry.Key}' (deprecated) and its replacement '{def.Replacement}' are set; the app uses '{def.Replacement}'.",
                $"Delete '{entry.Key}'.");
        }

        if (def.DeprecatedBy is { } by && ctx.Target is { } target && target < by)
        {
            ctx.Info(ConfigDiagnosticCodes.DeprecatedKey, entry.Key,
                $"'{entry.Key}' is the name app {target} reads; newer apps deprecate it (v{by}).",
                $"When the fleet moves past v{by}, {replacement}.");
            return false;
        }

        if (def.DeprecationCutoff is null)
        {
            ctx.Warning(ConfigDiagnosticCodes.DeprecatedKey, entry.Key,
                $"'{entry.Key}' is deprecated{(def.DeprecatedBy is { } d && !d.IsBaseline ? $" (v{d})" : string.Empty)} and has no effect.",
                $"Delete '{entry.Key}'{(def.Replacement is null ? string.Empty : $" and {replacement}")}.");
            return false;
        }

        if (ctx.CutoffPassed)
        {
            ctx.Error(ConfigDiagnosticCodes.DeprecatedKey, entry.Key,
                $"'{entry.Key}' is deprecated and {ctx.CutoffText}: {def.AfterCutoff}",
                $"{char.ToUpperInvariant(replacement[0])}{replacement[1..]}.");
            ctx.Ignore(entry, $"deprecated; past the {KeyCatalogue.DeprecationCutoff:yyyy-MM-dd} cut-off", ConfigDiagnosticCodes.DeprecatedKey);
            return true;
        }

        ctx.Warning(ConfigDiagnosticCodes.DeprecatedKey, entry.Key,
            $"'{entry.Key}' is deprecated and {ctx.CutoffText}; after that: {def.AfterCutoff}",
            $"{char.ToUpperInvariant(replacement[0])}{replacement[1..]}.");
        return false;
    }

    private static void Unknown(ValidationContext ctx, ConfigEntry entry)
    {
        var key = entry.Key;
        if (KeyCatalogue.StandardDeploymentKeys.Contains(key))
        {
            ctx.Info(ConfigDiagnosticCodes.StandardDeploymentKey, key,
                $"'{key}' applies to standard Claude Desktop deployments; third-party mode ignores it.", null);
            ctx.Ignore(entry, "standard-deployment key, ignored in 3P", ConfigDiagnosticCodes.StandardDeploymentKey);
            return;
        }

        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && KeyCatalogue.Find(key[..dot]) is { } parent)
        {
            var message = parent.Name == "bootstrapOidc"
                ? $"'{key}' is a dotted sub-key: the app never reads it, and because bootstrapOidc is then missing it quietly falls back to device-code mode."
                : $"'{key}' is a dotted sub-key: the app never reads it. '{parent.Name}' is one key whose value is a whole JSON document.";
            ctx.Error(ConfigDiagnosticCodes.DottedSubKey, key, message,
                $"Set '{parent.Name}' to a JSON {(parent.ValueType == ConfigValueType.Object ? "object" : "document")} holding \"{key[(dot + 1)..]}\", e.g. {parent.Name} = {{\"{key[(dot + 1)..]}\": \"...\"}}.");
            ctx.Ignore(entry, "dotted sub-keys are never read", ConfigDiagnosticCodes.DottedSubKey);
            return;
        }

        var caseMatch = KeyCatalogue.All.FirstOrDefault(k => string.Equals(k.Name, key, StringComparison.OrdinalIgnoreCase));
        if (caseMatch is not null)
        {
            ctx.Warning(ConfigDiagnosticCodes.KeyWrongCase, key,
                $"Unknown key '{key}': key names are case-sensitive, so the app ignores it.",
                $"Rename it to '{caseMatch.Name}'.");
            ctx.Ignore(entry, $"case-sensitive name; did you mean '{caseMatch.Name}'?", ConfigDiagnosticCodes.KeyWrongCase);
            return;
        }

        var suggestion = KeySuggester.Suggest(key);
        ctx.Warning(ConfigDiagnosticCodes.UnknownKey, key,
            $"Unknown key '{key}'; the app ignores it silently.",
            suggestion is null ? "Remove it, or check the key name in 'basalt config keys'." : $"Did you mean '{suggestion}'?");
        ctx.Ignore(entry, suggestion is null ? "unknown key" : $"unknown key; did you mean '{suggestion}'?", ConfigDiagnosticCodes.UnknownKey);
    }
}
