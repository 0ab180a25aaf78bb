using System.Text;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Writes a <c>.reg</c> file exactly as regedit exports one: "Windows Registry Editor Version 5.00", UTF-16LE
/// with BOM, CRLF, every value a REG_SZ directly under <c>SOFTWARE\Policies\Claude</c> (cowork3p-reference §1.1,
/// §1.4). A value holding a line break cannot be a quoted .reg string, so it is written as <c>hex(1)</c>, which
/// is the same REG_SZ spelled as bytes.
/// </summary>
internal static class RegFileWriter
{
    private const int WrapColumn = 78;

    public static string RootName(RegistryHive hive) => hive == RegistryHive.CurrentUser ? "HKEY_CURRENT_USER" : "HKEY_LOCAL_MACHINE";

    public static byte[] Write(IReadOnlyList<KeyValuePair<string, string>> values, ExportOptions options)
    {
        var sb = new StringBuilder();
        sb.Append(RegFileReader.Header5).Append("\r\n\r\n");
        sb.Append('[').Append(RootName(options.RegistryHive)).Append('\\').Append(RegFileReader.PolicyPath).Append("]\r\n");
        foreach (var (key, value) in values)
        {
            var prefix = "\"" + Escape(key) + "\"=";
            sb.Append(prefix);
            if (NeedsHex(value))
            {
                AppendHexString(sb, prefix.Length, value);
            }
            else
            {
                sb.Append('"').Append(Escape(value)).Append('"');
            }

            sb.Append("\r\n");
        }

        if (options.RemoveStaleValues)
        {
            foreach (var stale in StaleKeys(values, options))
            {
                sb.Append('"').Append(Escape(stale)).Append("\"=-\r\n");
            }
        }

        sb.Append("\r\n");
        var body = Encoding.Unicode.GetBytes(sb.ToString());
        var bytes = new byte[body.Length + 2];
        bytes[0] = 0xFF;
        bytes[1] = 0xFE;
        body.CopyTo(bytes, 2);
        return bytes;
    }

    /// <summary>Catalogue keys not in the set; registry names are case-insensitive, so the comparison is too.</summary>
    internal static IEnumerable<string> StaleKeys(IReadOnlyList<KeyValuePair<string, string>> values, ExportOptions options)
    {
        var present = new HashSet<string>(values.Select(v => v.Key), StringComparer.OrdinalIgnoreCase);
        return options.EffectiveCatalogue.Select(k => k.Name).Where(n => !present.Contains(n)).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    internal static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static bool NeedsHex(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x20 && c != '\t')
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendHexString(StringBuilder sb, int column, string value)
    {
        sb.Append("hex(1):");
        column += 7;
        var bytes = Encoding.Unicode.GetBytes(value + "\0");
        for (var k = 0; k < bytes.Length; k++)
        {
            var token = bytes[k].ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + (k + 1 < bytes.Length ? "," : string.Empty);
            if (column + token.Length > WrapColumn)
            {
                sb.Append("\\\r\n  ");
                column = 2;
            }

            sb.Append(token);
            column += token.Length;
        }
    }
}
