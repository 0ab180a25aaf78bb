using System.Globalization;
using System.Text;
using Basalt.Diagnostics;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Reads Windows Registry Editor files (<c>.reg</c>) the way regedit imports them: UTF-16LE with BOM (what
/// regedit exports) or UTF-8, CRLF or LF, <c>;</c> comments, <c>[-key]</c> and <c>"value"=-</c> deletions, hex
/// data continued over lines with a trailing <c>\</c>. Only values directly under
/// <c>HKLM|HKCU\SOFTWARE\Policies\Claude</c> are configuration (cowork3p-reference §1.1); values in subkeys or
/// elsewhere are reported, never returned. Non-REG_SZ types are returned with their <see cref="WireType"/> so
/// the validator can explain what the app does with them.
/// </summary>
internal static class RegFileReader
{
    public const string Header5 = "Windows Registry Editor Version 5.00";
    public const string Header4 = "REGEDIT4";
    public const string PolicyPath = @"SOFTWARE\Policies\Claude";

    private enum SectionKind
    {
        None,
        Policy,
        Subkey,
        Outside,
        Ignored,
    }

    public static List<ConfigEntry> Read(ReadOnlySpan<byte> bytes, DiagnosticBag diagnostics)
    {
        var text = Decode(bytes, diagnostics);
        return text is null ? [] : ReadText(text, diagnostics);
    }

    private static string? Decode(ReadOnlySpan<byte> bytes, DiagnosticBag diagnostics)
    {
        const string Fix = "Save the file as \"Unicode\" (UTF-16 LE with BOM), which is what regedit exports, or as UTF-8.";
        if (bytes.StartsWith(ByteOrderMarks.Utf16LE))
        {
            var body = bytes[2..];
            if (body.Length % 2 != 0)
            {
                diagnostics.Error(FormatDiagnosticCodes.RegEncoding, 0, "The UTF-16LE file has an odd number of bytes: it is truncated or not UTF-16.", Fix);
                return null;
            }

            try
            {
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetString(body);
            }
            catch (DecoderFallbackException ex)
            {
                diagnostics.Error(FormatDiagnosticCodes.RegEncoding, 0, $"The file has a UTF-16LE BOM but invalid UTF-16 at byte {ex.Index + 2}.", Fix);
                return null;
            }
        }

        if (bytes.StartsWith(ByteOrderMarks.Utf16BE))
        {
            diagnostics.Error(FormatDiagnosticCodes.RegEncoding, 0, "The file is UTF-16 big-endian; regedit reads UTF-16 little-endian.", Fix);
            return null;
        }

        var hadBom = bytes.StartsWith(ByteOrderMarks.Utf8);
        if (hadBom)
        {
            bytes = bytes[3..];
        }
        else if (bytes.Length >= 4 && bytes[0] != 0 && bytes[1] == 0 && bytes[3] == 0)
        {
            diagnostics.Error(FormatDiagnosticCodes.RegEncoding, 0, "The file looks like UTF-16LE without the byte-order mark; regedit cannot tell it is Unicode.", Fix);
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            diagnostics.Error(FormatDiagnosticCodes.RegEncoding, 0, $"The file is neither UTF-16LE with a BOM nor valid UTF-8 (invalid byte at offset {ex.Index}).", Fix);
            return null;
        }

        if (text.Any(c => c > 0x7F))
        {
            diagnostics.Warning(FormatDiagnosticCodes.RegEncoding, 0,
                "The file holds non-ASCII characters but is not UTF-16LE; regedit reads such files in the ANSI code page, so those characters may arrive garbled.",
                Fix);
        }

        return text;
    }

    private static List<ConfigEntry> ReadText(string text, DiagnosticBag diagnostics)
    {
        var lines = text.Split('\n');
        for (var k = 0; k < lines.Length; k++)
        {
            lines[k] = lines[k].TrimEnd('\r');
        }

        var values = new PolicyValues();
        var i = 0;
        while (i < lines.Length && lines[i].Trim().Length == 0)
        {
            i++;
        }

        if (i == lines.Length)
        {
            diagnostics.Error(FormatDiagnosticCodes.Empty, 1, "The file is empty.", $"Start the file with \"{Header5}\" followed by [HKEY_LOCAL_MACHINE\\{PolicyPath}] and the values.");
            return [];
        }

        var first = lines[i].Trim().TrimStart('\uFEFF');
        if (first == Header5 || first == Header4)
        {
            i++;
        }
        else
        {
            diagnostics.Error(FormatDiagnosticCodes.RegHeader, i + 1, $"The first line is not \"{Header5}\"; regedit refuses to import the file.",
                $"Make \"{Header5}\" the first line.");
            if (first.StartsWith("Windows Registry Editor", StringComparison.OrdinalIgnoreCase) || first.StartsWith("REGEDIT", StringComparison.OrdinalIgnoreCase))
            {
                i++;
            }
        }

        var kind = SectionKind.None;
        string? scope = null;
        string sectionPath = string.Empty;
        var sectionLine = 0;
        var outsideReported = false;
        for (; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var t = lines[i].Trim();
            if (t.Length == 0 || t[0] == ';')
            {
                continue;
            }

            if (t[0] == '[')
            {
                sectionLine = lineNo;
                outsideReported = false;
                kind = ParseSection(t, lineNo, diagnostics, values, out scope, out sectionPath);
                continue;
            }

            ParseValueLine(lines, ref i, kind, scope, sectionPath, sectionLine, ref outsideReported, values, diagnostics);
        }

        return values.ToList();
    }

    private static SectionKind ParseSection(string t, int lineNo, DiagnosticBag diagnostics, PolicyValues values, out string? scope, out string path)
    {
        scope = null;
        path = string.Empty;
        if (t[^1] != ']')
        {
            diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, "The key line does not end with ']'; the values below it are not imported.",
                $"Write the key as [HKEY_LOCAL_MACHINE\\{PolicyPath}].");
            return SectionKind.Ignored;
        }

        var inner = t[1..^1].Trim();
        var delete = inner.StartsWith('-');
        if (delete)
        {
            inner = inner[1..];
        }

        var slash = inner.IndexOf('\\', StringComparison.Ordinal);
        var root = slash < 0 ? inner : inner[..slash];
        var rest = slash < 0 ? string.Empty : inner[(slash + 1)..].TrimEnd('\\');
        switch (root.ToUpperInvariant())
        {
            case "HKEY_LOCAL_MACHINE" or "HKLM":
                scope = "HKLM";
                break;
            case "HKEY_CURRENT_USER" or "HKCU":
                scope = "HKCU";
                break;
            case "HKEY_USERS" or "HKU":
            {
                // HKEY_USERS\<SID>\... is some user's HKCU.
                var sid = rest.IndexOf('\\', StringComparison.Ordinal);
                scope = "HKCU";
                rest = sid < 0 ? string.Empty : rest[(sid + 1)..];
                break;
            }

            case "HKEY_CLASSES_ROOT" or "HKCR" or "HKEY_CURRENT_CONFIG" or "HKCC":
                path = inner;
                return delete ? SectionKind.Ignored : SectionKind.Outside;
            default:
                diagnostics.Error(FormatDiagnosticCodes.RegUnknownHive, lineNo, $"\"{root}\" is not a registry root key; the values below it are not imported.",
                    $"Use [HKEY_LOCAL_MACHINE\\{PolicyPath}] (or HKEY_CURRENT_USER for a single user).");
                return SectionKind.Ignored;
        }

        path = inner;
        if (string.Equals(rest, PolicyPath, StringComparison.OrdinalIgnoreCase))
        {
            if (delete)
            {
                // [-...\Claude] removes the key with every value set above it; values below recreate it.
                values.RemoveScope(scope);
                return SectionKind.Ignored;
            }

            return SectionKind.Policy;
        }

        if (delete)
        {
            return SectionKind.Ignored;
        }

        return rest.StartsWith(PolicyPath + "\\", StringComparison.OrdinalIgnoreCase) ? SectionKind.Subkey : SectionKind.Outside;
    }

    private static void ParseValueLine(string[] lines, ref int i, SectionKind kind, string? scope, string sectionPath, int sectionLine,
        ref bool outsideReported, PolicyValues values, DiagnosticBag diagnostics)
    {
        var lineNo = i + 1;
        var t = lines[i].Trim();
        string name;
        int pos;
        if (t[0] == '@')
        {
            name = string.Empty;
            pos = 1;
        }
        else if (t[0] == '"')
        {
            var parsed = RegValueData.ParseQuoted(t, 0, lineNo, null, diagnostics, out pos);
            if (parsed is null)
            {
                diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, "The value name has no closing quote.", "Write values as \"name\"=\"value\".");
                return;
            }

            name = parsed;
        }
        else
        {
            // The line is not echoed: it may hold a secret value.
            diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, "The line is neither a [key], a \"name\"=value line nor a ; comment.",
                "Write values as \"name\"=\"value\" under a [key] line.");
            return;
        }

        while (pos < t.Length && t[pos] is ' ' or '\t')
        {
            pos++;
        }

        if (pos >= t.Length || t[pos] != '=')
        {
            diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, $"Expected '=' after the value name \"{name}\".", "Write values as \"name\"=\"value\".", name, scope);
            return;
        }

        var data = t[(pos + 1)..].TrimStart();
        if (data.StartsWith("hex", StringComparison.OrdinalIgnoreCase))
        {
            // regedit wraps long hex data: a trailing backslash continues the value on the next line.
            if (data.EndsWith('\\') && i + 1 < lines.Length)
            {
                var joined = new StringBuilder(data, 0, data.Length - 1, data.Length * 4);
                while (i + 1 < lines.Length)
                {
                    var next = lines[++i].Trim();
                    if (!next.EndsWith('\\'))
                    {
                        joined.Append(next);
                        break;
                    }

                    joined.Append(next, 0, next.Length - 1);
                }

                data = joined.ToString();
            }
        }

        switch (kind)
        {
            case SectionKind.None:
                diagnostics.Error(FormatDiagnosticCodes.RegValueOutsideKey, lineNo, $"The value \"{name}\" comes before any [key] line, so regedit does not know where to write it.",
                    $"Put [HKEY_LOCAL_MACHINE\\{PolicyPath}] above it.", name);
                return;
            case SectionKind.Ignored:
                return;
            case SectionKind.Outside:
                if (!outsideReported)
                {
                    outsideReported = true;
                    diagnostics.Warning(FormatDiagnosticCodes.RegOutsidePolicyKey, sectionLine,
                        $"[{sectionPath}] is not the policy key; Claude Desktop reads only HKLM and HKCU \\{PolicyPath}, so values here (e.g. \"{name}\") are never read.",
                        $"Put Claude settings under [HKEY_LOCAL_MACHINE\\{PolicyPath}].", name, scope);
                }

                return;
            case SectionKind.Subkey:
                diagnostics.Error(FormatDiagnosticCodes.RegSubkey, lineNo,
                    $"\"{name}\" is in the subkey [{sectionPath}]; the app reads values only directly under \\{PolicyPath}, never from subkeys.",
                    $"Move the value to [{sectionPath[..(sectionPath.IndexOf(PolicyPath, StringComparison.OrdinalIgnoreCase) + PolicyPath.Length)]}]. If an ADMX wrote it, use a template whose policies have key=\"{PolicyPath}\".",
                    name, scope);
                return;
        }

        if (name.Length == 0)
        {
            diagnostics.Warning(FormatDiagnosticCodes.RegDefaultValue, lineNo,
                "The key's unnamed default value (@) is set. It is not a setting, but it counts as machine policy being present, which hides every HKCU value (§1.3).",
                "Remove the @= line.", string.Empty, scope);
        }

        var location = new SourceLocation(diagnostics.Source, lineNo, 0, scope);
        if (data == "-")
        {
            values.Remove(scope!, name);
            return;
        }

        var entry = RegValueData.ParseData(data, name, lineNo, location, scope, diagnostics);
        if (entry is not null)
        {
            values.Add(entry, diagnostics);
        }
    }

    /// <summary>Values per hive in file order; names compare case-insensitively, as in the registry.</summary>
    private sealed class PolicyValues
    {
        private readonly List<ConfigEntry?> _entries = [];
        private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);

        public void Add(ConfigEntry entry, DiagnosticBag diagnostics)
        {
            var id = entry.Location.Scope + "\\" + entry.Key;
            if (_index.TryGetValue(id, out var previous) && _entries[previous] is { } old)
            {
                diagnostics.Warning(FormatDiagnosticCodes.RegDuplicateValue, entry.Location.Line,
                    $"\"{entry.Key}\" is set again in {entry.Location.Scope} (first at line {old.Location.Line}; value names are case-insensitive); the last one wins.",
                    "Keep one of the two.", entry.Key, entry.Location.Scope);
                _entries[previous] = null;
            }

            _index[id] = _entries.Count;
            _entries.Add(entry);
        }

        public void Remove(string scope, string name)
        {
            if (_index.Remove(scope + "\\" + name, out var previous))
            {
                _entries[previous] = null;
            }
        }

        public void RemoveScope(string scope)
        {
            for (var k = 0; k < _entries.Count; k++)
            {
                if (_entries[k] is { } e && e.Location.Scope == scope)
                {
                    _index.Remove(scope + "\\" + e.Key);
                    _entries[k] = null;
                }
            }
        }

        public List<ConfigEntry> ToList() => _entries.Where(e => e is not null).Select(e => e!).ToList();
    }
}
