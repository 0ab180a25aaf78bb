using System.Globalization;
using System.Text;
using Basalt.Diagnostics;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// The data side of a <c>.reg</c> value line, as regedit reads it: a quoted string (only <c>\\</c> and <c>\"</c>
/// escape), <c>dword:</c>, and <c>hex(n):</c> bytes (REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD, REG_BINARY…) decoded to
/// a <see cref="ConfigEntry"/> with its <see cref="WireType"/>. <see cref="RegFileReader"/> handles sections, value
/// names and line continuations.
/// </summary>
internal static class RegValueData
{
    public static ConfigEntry? ParseData(string data, string name, int lineNo, SourceLocation location, string? scope, DiagnosticBag diagnostics)
    {
        if (data.StartsWith('"'))
        {
            var value = ParseQuoted(data, 0, lineNo, name, diagnostics, out var end);
            if (value is null)
            {
                diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, $"The string value of \"{name}\" has no closing quote (a value cannot span lines in a .reg file).",
                    "Close the string on the same line; escape \" as \\\" and \\ as \\\\.", name, scope);
                return null;
            }

            if (data[end..].Trim().Length > 0)
            {
                diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, $"Unexpected text after the closing quote of \"{name}\" (an unescaped quote inside the value?).",
                    "Escape quotes inside the value as \\\".", name, scope);
                return null;
            }

            return new ConfigEntry(name, value, WireType.String, location);
        }

        if (data.StartsWith("dword:", StringComparison.OrdinalIgnoreCase))
        {
            var digits = data[6..].Trim();
            if (digits.Length is < 1 or > 8 || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var dword))
            {
                diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, $"\"{name}\" has malformed dword data; expected 1 to 8 hex digits.",
                    "Write dword:00000001, or better a string: \"name\"=\"1\".", name, scope);
                return null;
            }

            return new ConfigEntry(name, dword.ToString(CultureInfo.InvariantCulture), WireType.RegDword, location);
        }

        if (data.StartsWith("hex", StringComparison.OrdinalIgnoreCase))
        {
            return ParseHex(data, name, lineNo, location, scope, diagnostics);
        }

        diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, $"The data of \"{name}\" is not a \"string\", dword: or hex: value.",
            "Write string values in double quotes: \"name\"=\"value\".", name, scope);
        return null;
    }

    private static ConfigEntry? ParseHex(string data, string name, int lineNo, SourceLocation location, string? scope, DiagnosticBag diagnostics)
    {
        var type = 3;
        var pos = 3;
        if (pos < data.Length && data[pos] == '(')
        {
            var close = data.IndexOf(')', pos);
            if (close < 0 || !int.TryParse(data.AsSpan(pos + 1, close - pos - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out type))
            {
                diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, $"\"{name}\" has a malformed hex(type) prefix.", "Write hex(2):..., hex(7):... or hex:...", name, scope);
                return null;
            }

            pos = close + 1;
        }

        if (pos >= data.Length || data[pos] != ':')
        {
            diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, $"\"{name}\" has hex data without ':'.", "Write hex:01,02,...", name, scope);
            return null;
        }

        var bytes = new List<byte>();
        foreach (var part in data[(pos + 1)..].Split(','))
        {
            var p = part.Trim();
            if (p.Length == 0)
            {
                continue;
            }

            if (p.Length > 2 || !byte.TryParse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, $"\"{name}\" has hex data with an item that is not a two-digit hex byte.",
                    "Write comma-separated two-digit hex bytes; end a wrapped line with \\.", name, scope);
                return null;
            }

            bytes.Add(b);
        }

        switch (type)
        {
            case 1:
                if (bytes.Count % 2 != 0)
                {
                    diagnostics.Error(FormatDiagnosticCodes.RegSyntax, lineNo, $"\"{name}\" is hex(1) (REG_SZ) with an odd number of bytes; REG_SZ is UTF-16LE.",
                        "Write the value as a quoted string instead.", name, scope);
                    return null;
                }

                return new ConfigEntry(name, Encoding.Unicode.GetString(bytes.ToArray()).TrimEnd('\0'), WireType.String, location);
            case 2:
                return new ConfigEntry(name, null, WireType.RegExpandSz, location);
            case 4 when bytes.Count == 4:
                return new ConfigEntry(name, BitConverter.ToUInt32([.. bytes]).ToString(CultureInfo.InvariantCulture), WireType.RegDword, location);
            case 7:
                return new ConfigEntry(name, null, WireType.RegMultiSz, location);
            case 0xB:
                return new ConfigEntry(name, null, WireType.RegQword, location);
            default:
                return new ConfigEntry(name, null, WireType.RegBinary, location);
        }
    }

    /// <summary>
    /// Parses a regedit string starting at the quote at <paramref name="start"/>: only <c>\\</c> and <c>\"</c> are
    /// escapes. Returns null when the closing quote is missing; <paramref name="end"/> is just past it.
    /// </summary>
    public static string? ParseQuoted(string t, int start, int lineNo, string? valueName, DiagnosticBag diagnostics, out int end)
    {
        var sb = new StringBuilder();
        var warned = false;
        for (var k = start + 1; k < t.Length; k++)
        {
            var c = t[k];
            if (c == '"')
            {
                end = k + 1;
                return sb.ToString();
            }

            if (c == '\\' && k + 1 < t.Length && (t[k + 1] == '\\' || t[k + 1] == '"'))
            {
                sb.Append(t[++k]);
                continue;
            }

            if (c == '\\' && !warned)
            {
                warned = true;
                diagnostics.Warning(FormatDiagnosticCodes.RegEscape, lineNo,
                    $"A single backslash in {(valueName is null ? "a value name" : $"the value of \"{valueName}\"")} is not an escape regedit knows; it is kept as is.",
                    "Write a literal backslash as \\\\ (e.g. \"C:\\\\Program Files\").", valueName);
            }

            sb.Append(c);
        }

        end = t.Length;
        return null;
    }
}
