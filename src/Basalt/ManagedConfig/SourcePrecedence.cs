namespace Basalt.ManagedConfig;

/// <summary>
/// Decides which of the values read from all sources the app actually sees (cowork3p-reference §1.1, §1.3):
/// unreadable registry/plist types drop out, managed beats local (except an update-keys-only managed source),
/// macOS per-user beats machine, and on Windows HKLM either hides HKCU (v1.19367.0+) or wins key by key (before).
/// </summary>
internal static class SourcePrecedence
{
    public static void Apply(ValidationContext ctx)
    {
        var readable = new List<(ConfigEntry Entry, EntryOrigin Origin)>();
        var presence = new List<(ConfigEntry Entry, EntryOrigin Origin)>();
        foreach (var entry in ctx.Configuration.Entries)
        {
            var origin = Classify(entry);
            switch (entry.WireType)
            {
                case WireType.RegExpandSz:
                    // It makes machine policy "present" but its content cannot be read (§1.1, §10.2.5).
                    presence.Add((entry, origin));
                    ctx.Error(ConfigDiagnosticCodes.RegExpandSz, entry.Key,
                        $"'{entry.Key}' is REG_EXPAND_SZ: it shows up in 'reg query' and counts as policy being present, but the app cannot read its value.",
                        $"Re-create '{entry.Key}' as REG_SZ (in a .reg file: \"{entry.Key}\"=\"...\", not hex(2):...).", entry.Location);
                    ctx.Ignore(entry, "REG_EXPAND_SZ cannot be read by the app", ConfigDiagnosticCodes.RegExpandSz);
                    continue;
                case WireType.RegQword or WireType.RegMultiSz or WireType.RegBinary:
                    ctx.Error(ConfigDiagnosticCodes.InvisibleRegistryType, entry.Key,
                        $"'{entry.Key}' is {RegName(entry.WireType)}, which the app does not see at all (only REG_SZ, and REG_DWORD for booleans and integers, are read).",
                        $"Re-create '{entry.Key}' as REG_SZ holding the value as text.", entry.Location);
                    ctx.Ignore(entry, $"{RegName(entry.WireType)} is invisible to the app", ConfigDiagnosticCodes.InvisibleRegistryType);
                    continue;
                case WireType.Other:
                    ctx.Error(ConfigDiagnosticCodes.UnreadableWireType, entry.Key,
                        $"'{entry.Key}' is a plist <data> or <date> value, which is not a readable string.",
                        $"Write '{entry.Key}' as <string>…</string>.", entry.Location);
                    ctx.Ignore(entry, "not a readable string type", ConfigDiagnosticCodes.UnreadableWireType);
                    continue;
                case WireType.Null:
                    ctx.Warning(ConfigDiagnosticCodes.NullValue, entry.Key,
                        $"'{entry.Key}' is null or an empty element; the app treats it as not set.",
                        $"Remove '{entry.Key}' or give it a value.", entry.Location);
                    presence.Add((entry, origin));
                    ctx.Ignore(entry, "null value", ConfigDiagnosticCodes.NullValue);
                    continue;
            }

            presence.Add((entry, origin));
            readable.Add((entry, origin));
        }

        readable = ApplyManagedOverLocal(ctx, readable, presence);
        readable = ApplyWindowsHives(ctx, readable, presence);
        ApplyMacUserOverMachine(ctx, readable);

        var managedPresent = presence.Any(p => p.Origin != EntryOrigin.Local);
        if (managedPresent && !readable.Any(r => r.Origin != EntryOrigin.Local))
        {
            // Government page: "Managed configuration is invalid; local settings are disabled until it is fixed" (§10.2.6).
            ctx.Error(ConfigDiagnosticCodes.ManagedUnreadable, null,
                "A managed configuration is present but none of its values can be read: the app reports \"Managed configuration is invalid; local settings are disabled until it is fixed\".",
                "Write every value as a string (REG_SZ, <string>) directly under the policy key or preference domain.",
                presence.First(p => p.Origin != EntryOrigin.Local).Entry.Location);
            ctx.Block("The managed configuration is present but none of its values can be read (§10.2 cause 6).");
        }
    }

    /// <summary>Where a value came from, from the scope and file recorded by the reader.</summary>
    public static EntryOrigin Classify(ConfigEntry entry)
    {
        var scope = entry.Location.Scope ?? string.Empty;
        var file = (entry.Location.File ?? string.Empty).Replace('\\', '/');
        if (scope.Contains("HKLM", StringComparison.OrdinalIgnoreCase) || scope.Contains("HKEY_LOCAL_MACHINE", StringComparison.OrdinalIgnoreCase))
        {
            return EntryOrigin.MachinePolicy;
        }

        if (scope.Contains("HKCU", StringComparison.OrdinalIgnoreCase) || scope.Contains("HKEY_CURRENT_USER", StringComparison.OrdinalIgnoreCase)
            || scope.Contains("HKEY_USERS", StringComparison.OrdinalIgnoreCase))
        {
            return EntryOrigin.UserPolicy;
        }

        if (file.Contains("configLibrary", StringComparison.OrdinalIgnoreCase)
            || file.EndsWith("claude_desktop_config.json", StringComparison.OrdinalIgnoreCase)
            || scope is "local" or "configLibrary" or "enterpriseConfig"
            || scope.EndsWith("(applied)", StringComparison.Ordinal) || scope.EndsWith("(not applied)", StringComparison.Ordinal))
        {
            return EntryOrigin.Local;
        }

        // /Library/Managed Preferences/<user>/com.anthropic.claudefordesktop.plist is the per-user file.
        const string managedPrefs = "/Managed Preferences/";
        var at = file.IndexOf(managedPrefs, StringComparison.OrdinalIgnoreCase);
        if ((at >= 0 && file.AsSpan(at + managedPrefs.Length).Contains('/')) || scope.Equals("user", StringComparison.OrdinalIgnoreCase))
        {
            return EntryOrigin.ManagedUser;
        }

        return EntryOrigin.Managed;
    }

    private static List<(ConfigEntry Entry, EntryOrigin Origin)> ApplyManagedOverLocal(
        ValidationContext ctx, List<(ConfigEntry Entry, EntryOrigin Origin)> readable, List<(ConfigEntry Entry, EntryOrigin Origin)> presence)
    {
        var managed = presence.Where(p => p.Origin != EntryOrigin.Local && !IsPresenceMarker(p.Entry.Key)).ToList();
        var local = readable.Where(r => r.Origin == EntryOrigin.Local).ToList();
        var anyManaged = presence.Any(p => p.Origin != EntryOrigin.Local);
        if (!anyManaged || local.Count == 0)
        {
            return readable;
        }

        var updateGroup = KeyCatalogue.UpdateKeys.Concat(KeyCatalogue.ProxyKeys).ToHashSet(StringComparer.Ordinal);
        var updateOnly = managed.Count > 0 && managed.All(m => updateGroup.Contains(m.Entry.Key));
        var result = new List<(ConfigEntry Entry, EntryOrigin Origin)>();
        var localDropped = 0;
        foreach (var r in readable)
        {
            if (r.Origin != EntryOrigin.Local)
            {
                result.Add(r);
                continue;
            }

            if (updateOnly && !updateGroup.Contains(r.Entry.Key))
            {
                result.Add(r);
                continue;
            }

            localDropped++;
            ctx.Ignore(r.Entry, updateOnly
                ? "update/proxy keys are resolved from the managed source as a group"
                : "a managed source is present, so the local store is ignored", ConfigDiagnosticCodes.LocalIgnored);
        }

        if (updateOnly)
        {
            ctx.Info(ConfigDiagnosticCodes.UpdateKeysOnlyManaged, null,
                "The managed source holds only update/proxy keys, so it does not take the device over: those keys come from the managed source as a group and every other key stays local and editable.",
                null, managed[0].Entry.Location);
            ctx.AppliedRules.Add("Managed source holds only update/proxy keys: local configuration stays in effect for the other keys (§1.3.1).");
        }
        else
        {
            ctx.AppliedRules.Add("Managed beats local: the local configLibrary values are ignored because a managed source is present (§1.3.1).");
        }

        if (localDropped > 0 && !updateOnly)
        {
            var first = local[0].Entry;
            ctx.Warning(ConfigDiagnosticCodes.LocalIgnored, null,
                $"{localDropped} value(s) from the local store (e.g. '{first.Key}' at {first.Location}) are ignored because a managed source is present; the in-app configuration window is read-only.",
                "Put these keys in the managed profile, or remove the managed source.", first.Location);
            var managedKeys = managed.Select(m => m.Entry.Key).ToHashSet(StringComparer.Ordinal);
            if (local.Any(l => l.Entry.Key == "inferenceProvider") && !managedKeys.Contains("inferenceProvider"))
            {
                ctx.Block("inferenceProvider is only in the local store, which is ignored while a managed source is present (§10.2 cause 3).");
            }
        }

        return result;
    }

    private static List<(ConfigEntry Entry, EntryOrigin Origin)> ApplyWindowsHives(
        ValidationContext ctx, List<(ConfigEntry Entry, EntryOrigin Origin)> readable, List<(ConfigEntry Entry, EntryOrigin Origin)> presence)
    {
        // Machine policy is "present" with any REG_SZ, REG_EXPAND_SZ or REG_DWORD value directly under the key,
        // including an empty string and the unnamed default value (§1.3.3).
        var machinePresent = presence.Any(p => p.Origin == EntryOrigin.MachinePolicy
            && p.Entry.WireType is WireType.String or WireType.RegDword or WireType.RegExpandSz);
        var user = readable.Where(r => r.Origin == EntryOrigin.UserPolicy && !IsPresenceMarker(r.Entry.Key)).ToList();
        if (!machinePresent || user.Count == 0)
        {
            return readable.Where(r => !IsPresenceMarker(r.Entry.Key)).ToList();
        }

        var machineKeys = readable.Where(r => r.Origin == EntryOrigin.MachinePolicy).Select(r => r.Entry.Key).ToHashSet(StringComparer.Ordinal);
        var machineLocation = presence.First(p => p.Origin == EntryOrigin.MachinePolicy).Entry.Location;
        var userOnly = user.Where(u => !machineKeys.Contains(u.Entry.Key)).ToList();
        if (userOnly.Count > 0)
        {
            ctx.Warning(ConfigDiagnosticCodes.SplitAcrossHives, null,
                $"The configuration is split across HKLM and HKCU ({userOnly.Count} key(s) such as '{userOnly[0].Entry.Key}' only in HKCU).",
                "Put every key under HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude and remove the HKCU copy.", userOnly[0].Entry.Location);
        }

        var result = new List<(ConfigEntry Entry, EntryOrigin Origin)>();
        if (ctx.IsAtLeast(ValidationContext.HklmShadowsHkcu))
        {
            ctx.AppliedRules.Add($"Windows, {ctx.TargetText}: machine policy is present, so HKCU\\SOFTWARE\\Policies\\Claude is ignored completely (v1.19367.0+, no merge).");
            foreach (var r in readable)
            {
                if (IsPresenceMarker(r.Entry.Key))
                {
                    continue;
                }

                if (r.Origin == EntryOrigin.UserPolicy)
                {
                    ctx.Ignore(r.Entry, "HKLM policy is present, so HKCU is ignored (v1.19367.0+)", ConfigDiagnosticCodes.HkcuShadowedByHklm);
                    continue;
                }

                result.Add(r);
            }

            ctx.Warning(ConfigDiagnosticCodes.HkcuShadowedByHklm, null,
                $"Machine policy exists under HKLM (e.g. at {machineLocation}), so from v1.19367.0 the app ignores all {user.Count} HKCU value(s), starting with '{user[0].Entry.Key}' at {user[0].Entry.Location}.",
                "Move the HKCU values to HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude, or remove every HKLM value if user policy is intended.", user[0].Entry.Location);
            if (user.Any(u => u.Entry.Key == "inferenceProvider") && !machineKeys.Contains("inferenceProvider"))
            {
                ctx.Block("inferenceProvider is in HKCU while machine policy exists in HKLM, so HKCU is ignored (v1.19367.0+, §10.2 cause 5).");
            }

            return result;
        }

        ctx.AppliedRules.Add($"Windows, {ctx.TargetText}: before v1.19367.0 the HKLM and HKCU policy keys are merged key by key and HKLM wins on a clash.");
        foreach (var r in readable)
        {
            if (IsPresenceMarker(r.Entry.Key))
            {
                continue;
            }

            if (r.Origin == EntryOrigin.UserPolicy && machineKeys.Contains(r.Entry.Key))
            {
                ctx.Info(ConfigDiagnosticCodes.HivesMerged, r.Entry.Key,
                    $"'{r.Entry.Key}' is set in both hives; before v1.19367.0 the HKLM value wins and this HKCU value is ignored.",
                    "Keep the key in one hive only (HKLM for fleets).", r.Entry.Location);
                ctx.Ignore(r.Entry, "the HKLM value wins on a clash (before v1.19367.0)", ConfigDiagnosticCodes.HivesMerged);
                continue;
            }

            result.Add(r);
        }

        return result;
    }

    private static void ApplyMacUserOverMachine(ValidationContext ctx, List<(ConfigEntry Entry, EntryOrigin Origin)> readable)
    {
        // Later entries of the same rank override earlier ones (a reader already reported duplicates in one file).
        static int Rank(EntryOrigin o) => o switch
        {
            EntryOrigin.Local => 0,
            EntryOrigin.UserPolicy => 1,
            EntryOrigin.Managed => 2,
            EntryOrigin.MachinePolicy => 2,
            EntryOrigin.ManagedUser => 3,
            _ => 0,
        };

        var winners = new Dictionary<string, (ConfigEntry Entry, EntryOrigin Origin)>(StringComparer.Ordinal);
        foreach (var r in readable)
        {
            if (winners.TryGetValue(r.Entry.Key, out var current))
            {
                var (userEntry, machineEntry) = r.Origin == EntryOrigin.ManagedUser ? (r, current) : (current, r);
                if (userEntry.Origin == EntryOrigin.ManagedUser && machineEntry.Origin == EntryOrigin.Managed)
                {
                    ctx.Info(ConfigDiagnosticCodes.PerUserOverridesMachine, r.Entry.Key,
                        $"'{r.Entry.Key}' is in both the per-user and the machine managed plist; the per-user value at {userEntry.Entry.Location} wins over {machineEntry.Entry.Location}.",
                        "Keep the key in one managed plist.", userEntry.Entry.Location);
                }

                if (Rank(r.Origin) < Rank(current.Origin))
                {
                    ctx.Ignore(r.Entry, $"overridden by {current.Entry.Location}", ConfigDiagnosticCodes.PerUserOverridesMachine);
                    continue;
                }

                ctx.Ignore(current.Entry, $"overridden by {r.Entry.Location}", ConfigDiagnosticCodes.PerUserOverridesMachine);
            }

            winners[r.Entry.Key] = r;
            ctx.SetEffective(r.Entry);
        }
    }

    /// <summary>The registry's unnamed default value: marks policy as present, is not a key.</summary>
    private static bool IsPresenceMarker(string key) => key.Length == 0 || key == "@";

    private static string RegName(WireType type) => type switch
    {
        WireType.RegQword => "REG_QWORD",
        WireType.RegMultiSz => "REG_MULTI_SZ",
        WireType.RegBinary => "REG_BINARY",
        _ => type.ToString(),
    };
}
