using System.Text.Json;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Reads the local <c>configLibrary</c> folder the in-app window writes (cowork3p-reference §1.2): <c>_meta.json</c>
/// names the applied configuration (<c>appliedId</c>) and lists the saved ones (<c>entries</c>), each saved as
/// <c>&lt;id&gt;.json</c> next to it. The schema is [UNCONFIRMED]; this follows what third-party tools read.
/// </summary>
internal static class ConfigLibraryReader
{
    public const string MetaFileName = "_meta.json";
    public const string AppliedSuffix = " (applied)";
    public const string NotAppliedSuffix = " (not applied)";

    public static List<ConfigEntry> Read(string folder, bool includeUnapplied, DiagnosticBag diagnostics)
    {
        var metaPath = Path.Combine(folder, MetaFileName);
        var metaBag = new DiagnosticBag(metaPath);
        try
        {
            var bytes = ManagedConfigReader.ReadBytes(metaPath, metaBag);
            if (bytes is null)
            {
                return [];
            }

            var (appliedId, ids) = ReadMeta(bytes, metaBag);
            var entries = new List<ConfigEntry>();
            if (appliedId is null)
            {
                metaBag.Info(FormatDiagnosticCodes.LibraryNothingApplied, 0, "No configuration is applied (appliedId is not set), so the app uses no local configuration.");
            }
            else if (IsSafeId(appliedId, metaBag))
            {
                if (ids is not null && !ids.Contains(appliedId))
                {
                    metaBag.Warning(FormatDiagnosticCodes.LibraryMeta, 0, $"appliedId \"{appliedId}\" is not listed in entries.",
                        "Apply the configuration again from the in-app window so _meta.json is rewritten.", "appliedId");
                }

                entries.AddRange(ReadEntry(folder, appliedId, appliedId + AppliedSuffix, required: true, diagnostics));
            }

            foreach (var id in ids ?? [])
            {
                if (id != appliedId && includeUnapplied && IsSafeId(id, metaBag))
                {
                    entries.AddRange(ReadEntry(folder, id, id + NotAppliedSuffix, required: false, diagnostics));
                }
            }

            ReportUnlisted(folder, ids, appliedId, metaBag);
            return entries;
        }
        finally
        {
            diagnostics.AddRange(metaBag.ToList());
        }
    }

    private static (string? AppliedId, HashSet<string>? Ids) ReadMeta(byte[] bytes, DiagnosticBag bag)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                bag.Error(FormatDiagnosticCodes.LibraryMeta, 1, "_meta.json is not a JSON object.", "Expected {\"appliedId\": \"<id>\", \"entries\": [{\"id\": \"<id>\", ...}]}.");
                return (null, null);
            }

            string? applied = null;
            if (doc.RootElement.TryGetProperty("appliedId", out var a))
            {
                if (a.ValueKind == JsonValueKind.String)
                {
                    applied = a.GetString();
                }
                else if (a.ValueKind != JsonValueKind.Null)
                {
                    bag.Error(FormatDiagnosticCodes.LibraryMeta, 0, "appliedId is not a string.", "Set appliedId to the id of a saved configuration, or null.", "appliedId");
                }
            }

            HashSet<string>? ids = null;
            if (doc.RootElement.TryGetProperty("entries", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                ids = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                    {
                        ids.Add(id.GetString()!);
                    }
                    else
                    {
                        bag.Warning(FormatDiagnosticCodes.LibraryMeta, 0, "An item of entries has no string id; it is ignored.", "Each entry is {\"id\": \"<id>\", \"name\": \"...\"}.", "entries");
                    }
                }
            }
            else
            {
                bag.Warning(FormatDiagnosticCodes.LibraryMeta, 0, "_meta.json has no entries array.", "Re-save the configuration from the in-app window.", "entries");
            }

            return (applied, ids);
        }
        catch (JsonException ex)
        {
            bag.Error(FormatDiagnosticCodes.LibraryMeta, (int)(ex.LineNumber ?? 0) + 1, "_meta.json is not valid JSON.",
                "Fix the JSON, or re-apply the configuration from the in-app window.", column: (int)(ex.BytePositionInLine ?? 0) + 1);
            return (null, null);
        }
        catch (InvalidOperationException)
        {
            // GetString on a string that is not valid UTF-8.
            bag.Error(FormatDiagnosticCodes.LibraryMeta, 0, "_meta.json holds text that is not valid UTF-8.",
                "Save the file as UTF-8, or re-apply the configuration from the in-app window.");
            return (null, null);
        }
    }

    private static List<ConfigEntry> ReadEntry(string folder, string id, string scope, bool required, DiagnosticBag diagnostics)
    {
        var path = Path.Combine(folder, id + ".json");
        var bag = new DiagnosticBag(path);
        try
        {
            if (!File.Exists(path))
            {
                if (required)
                {
                    bag.Error(FormatDiagnosticCodes.LibraryEntryMissing, 0, $"The applied configuration \"{id}\" has no file {id}.json.",
                        "Re-apply a configuration from the in-app window, or restore the file.", "appliedId");
                }

                return [];
            }

            var bytes = ManagedConfigReader.ReadBytes(path, bag);
            return bytes is null ? [] : JsonConfigReader.Read(bytes, local: true, scope, bag);
        }
        finally
        {
            diagnostics.AddRange(bag.ToList());
        }
    }

    private static bool IsSafeId(string id, DiagnosticBag bag)
    {
        // The id becomes a file name: never let it walk out of the folder.
        if (id.Length == 0 || id.IndexOfAny(['/', '\\', '\0']) >= 0 || id.Contains("..", StringComparison.Ordinal) || id == "_meta")
        {
            bag.Error(FormatDiagnosticCodes.LibraryMeta, 0, $"\"{XmlPlistParser.Shorten(id)}\" is not a usable configuration id (it must be a plain file name).",
                "Re-apply the configuration from the in-app window.", "appliedId");
            return false;
        }

        return true;
    }

    private static void ReportUnlisted(string folder, HashSet<string>? ids, string? appliedId, DiagnosticBag bag)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                var id = Path.GetFileNameWithoutExtension(file);
                if (id != "_meta" && id != appliedId && ids is not null && !ids.Contains(id))
                {
                    bag.Info(FormatDiagnosticCodes.LibraryUnlistedEntry, 0, $"{Path.GetFileName(file)} is not listed in _meta.json entries; the app ignores it.");
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
