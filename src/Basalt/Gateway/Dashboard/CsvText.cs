using System.Text;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// CSV as RFC 4180 says (CRLF line ends; a field with a comma, quote or line break is quoted and its quotes doubled),
/// safe to open in a spreadsheet: a cell starting with <c>= + - @</c>, tab or CR is prefixed with <c>'</c> so it is
/// shown as text, never run as a formula (OWASP "CSV injection"). Numbers are written as numbers, so a negative
/// amount is never altered: only text cells are guarded.
/// </summary>
internal static class CsvText
{
    public static void AppendRow(StringBuilder csv, IEnumerable<string?> cells, IReadOnlyList<bool>? numeric = null)
    {
        var i = 0;
        foreach (var cell in cells)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            AppendCell(csv, cell, numeric is not null && i < numeric.Count && numeric[i]);
            i++;
        }

        csv.Append("\r\n");
    }

    public static void AppendCell(StringBuilder csv, string? value, bool isNumber = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var text = !isNumber && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        if (text.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            csv.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            csv.Append(text);
        }
    }
}
