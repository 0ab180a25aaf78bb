using System.Globalization;
using System.Text;
using System.Text.Json;
using Basalt.Gateway.Hosting;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// Writes the dashboard's answers: JSON with <c>cache-control: no-store</c> and <c>server-timing</c> (the server time
/// the 300 ms goal is about, issue 11 item 4), tables as JSON pages or CSV attachments, and the one error shape
/// <c>{"error":{"status","code","message"}}</c>.
/// </summary>
internal static class DashboardWriter
{
    public static Task JsonAsync(GatewayExchange exchange, int status, byte[] json, long started, TimeProvider time) =>
        WriteAsync(exchange, status, "application/json; charset=utf-8", json, started, time);

    public static Task ErrorAsync(GatewayExchange exchange, int status, string code, string message, long started, TimeProvider time, string? signInUrl = null) =>
        JsonAsync(exchange, status, Build(w =>
        {
            w.WriteStartObject("error");
            w.WriteNumber("status", status);
            w.WriteString("code", code);
            w.WriteString("message", message);
            if (signInUrl is not null)
            {
                w.WriteString("signInUrl", signInUrl);
            }

            w.WriteEndObject();
        }), started, time);

    public static Task TableAsync(GatewayExchange exchange, DashboardTable table, string? rangeText, long started, TimeProvider time)
    {
        if (table.Paging.Csv)
        {
            var csv = new StringBuilder();
            CsvText.AppendRow(csv, table.Columns);
            foreach (var row in table.Rows)
            {
                CsvText.AppendRow(csv, row.Select(CsvValue), [.. row.Select(v => v is long or int or decimal or double)]);
            }

            var file = table.Name + (rangeText is null ? string.Empty : "-" + rangeText) + ".csv";
            exchange.SetResponseHeader("content-disposition", $"attachment; filename=\"{file}\"");
            return WriteAsync(exchange, 200, "text/csv; charset=utf-8", Encoding.UTF8.GetBytes(csv.ToString()), started, time);
        }

        return JsonAsync(exchange, 200, Build(w =>
        {
            w.WriteNumber("total", table.Total);
            w.WriteNumber("limit", table.Paging.Limit);
            w.WriteNumber("offset", table.Paging.Offset);
            w.WriteString("sort", table.Paging.Sort);
            w.WriteString("order", table.Paging.Descending ? "desc" : "asc");
            foreach (var (name, value) in table.Extra)
            {
                Value(w, name, value);
            }

            w.WriteStartArray("items");
            foreach (var row in table.Rows)
            {
                w.WriteStartObject();
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    Value(w, table.Columns[i], row[i]);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }), started, time);
    }

    /// <summary>A JSON object built by <paramref name="body"/> (which writes the properties).</summary>
    public static byte[] Build(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();

        // Messages quote names ('limit', O'Neil): relaxed escaping keeps them readable. Safe here because the
        // answer is application/json with nosniff, never inlined into HTML.
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>One property of a row or object in the API's conventions (ISO 8601 UTC times, numbers as numbers).</summary>
    public static void Value(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNull(name);
                break;
            case string s:
                w.WriteString(name, s);
                break;
            case long l:
                w.WriteNumber(name, l);
                break;
            case int i:
                w.WriteNumber(name, i);
                break;
            case decimal d:
                w.WriteNumber(name, d);
                break;
            case double f:
                w.WriteNumber(name, Math.Round(f, 6));
                break;
            case bool b:
                w.WriteBoolean(name, b);
                break;
            case DateTimeOffset t:
                w.WriteString(name, Iso(t));
                break;
            case IEnumerable<string> list:
                w.WriteStartArray(name);
                foreach (var item in list)
                {
                    w.WriteStringValue(item);
                }

                w.WriteEndArray();
                break;
            case JsonElement e:
                w.WritePropertyName(name);
                e.WriteTo(w);
                break;
            default:
                w.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? CsvValue(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTimeOffset t => Iso(t),
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double f => Math.Round(f, 6).ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IEnumerable<string> list => string.Join(';', list),
        JsonElement e => e.GetRawText(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static async Task WriteAsync(GatewayExchange exchange, int status, string contentType, byte[] body, long started, TimeProvider time)
    {
        exchange.StatusCode = status;
        exchange.SetResponseHeader("content-type", contentType);
        exchange.SetResponseHeader("cache-control", "no-store");
        exchange.SetResponseHeader("x-content-type-options", "nosniff");
        exchange.SetResponseHeader("server-timing", "app;dur=" + time.GetElapsedTime(started).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture));
        exchange.SetResponseHeader("content-length", body.Length.ToString(CultureInfo.InvariantCulture));
        await exchange.ResponseBody.WriteAsync(body, exchange.Aborted).ConfigureAwait(false);
        await exchange.ResponseBody.FlushAsync(exchange.Aborted).ConfigureAwait(false);
    }
}
