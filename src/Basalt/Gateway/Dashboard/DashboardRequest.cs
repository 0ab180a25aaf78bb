using System.Globalization;
using System.Text.Json;
using Basalt.Gateway.Hosting;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// One API call as the handlers see it: who asks (<see cref="Session"/>), the path below <c>/admin/api/</c> split
/// into segments, the query parameters (each parsed with a refusal that names the parameter) and the JSON body.
/// </summary>
internal sealed class DashboardRequest
{
    private const int MaxBodyBytes = 64 * 1024;
    private readonly Dictionary<string, string> _query;

    private readonly DashboardSession? _session;

    /// <param name="session">Null only for the sign-in routes, which read the query before anyone is signed in.</param>
    public DashboardRequest(GatewayExchange exchange, DashboardSession? session, IReadOnlyList<string> segments, DateTimeOffset now)
    {
        Exchange = exchange;
        _session = session;
        Segments = segments;
        Now = now;
        _query = FormFields.Parse(exchange.Query);
    }

    public GatewayExchange Exchange { get; }

    public DashboardSession Session => _session ?? throw new InvalidOperationException("this request has no session");

    public IReadOnlyList<string> Segments { get; }

    public string Method => Exchange.Method;

    public DateTimeOffset Now { get; }

    public CancellationToken Aborted => Exchange.Aborted;

    public string? Get(string name) => _query.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    /// <summary>
    /// [from, to): defaults to the current UTC month up to the end of the current hour (rollups have hour resolution,
    /// and nothing is recorded after now, so the current hour's bucket is its usage so far); at most 400 days.
    /// </summary>
    public (DateTimeOffset From, DateTimeOffset To) Range()
    {
        var from = Date("from") ?? UsageReportQuery.MonthStart(Now);
        var to = Date("to") ?? UsageReportQuery.EndOfHour(Now);
        if (to <= from)
        {
            throw DashboardException.BadRequest($"'to' ({to:O}) must be after 'from' ({from:O})");
        }

        if (to - from > TimeSpan.FromDays(400))
        {
            throw DashboardException.BadRequest("the range from 'from' to 'to' is longer than 400 days; ask for a shorter one");
        }

        return (from, to);
    }

    public DateTimeOffset? Date(string name)
    {
        if (Get(name) is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? d
            : throw DashboardException.BadRequest($"'{name}' is not an ISO 8601 date or time (e.g. 2026-12-01 or 2026-12-01T08:00:00Z)");
    }

    public int Int(string name, int fallback, int min, int max)
    {
        if (Get(name) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw DashboardException.BadRequest($"'{name}' must be a whole number from {min} to {max}");
    }

    public string Choice(string name, string fallback, params string[] allowed)
    {
        var value = Get(name) ?? fallback;
        return allowed.Contains(value, StringComparer.Ordinal) ? value : throw DashboardException.BadRequest($"'{name}={value}' is not allowed; expected one of {string.Join(", ", allowed)}");
    }

    /// <summary>sort/order/limit/offset/format with the endpoint's allowed sort fields.</summary>
    public TablePaging Paging(string defaultSort, IEnumerable<string> sortFields, bool defaultDescending = true)
    {
        var fields = sortFields.ToList();
        var sort = Get("sort") ?? defaultSort;
        if (!fields.Contains(sort, StringComparer.Ordinal))
        {
            throw DashboardException.BadRequest($"'sort={sort}' is not a column of this table; expected one of {string.Join(", ", fields)}");
        }

        var order = Choice("order", defaultDescending ? "desc" : "asc", "asc", "desc");
        var csv = Choice("format", "json", "json", "csv") == "csv";
        var limit = Int("limit", TablePaging.DefaultLimit, 1, TablePaging.MaxLimit);
        var offset = Int("offset", 0, 0, int.MaxValue);
        return csv ? new TablePaging(sort, order == "desc", TablePaging.MaxCsvRows, 0, true) : new TablePaging(sort, order == "desc", limit, offset, false);
    }

    /// <summary>The JSON object body of a PUT/POST (at most 64 KiB).</summary>
    public async Task<JsonElement> BodyAsync()
    {
        using var body = await RequestBody.ReadAsync(Exchange, MaxBodyBytes, Aborted).ConfigureAwait(false)
            ?? throw new DashboardException(413, "bad_request", $"the body is larger than {MaxBodyBytes} bytes");
        if (body.Memory.Length == 0)
        {
            return JsonDocument.Parse("{}").RootElement.Clone();
        }

        try
        {
            using var doc = JsonDocument.Parse(body.Memory);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : throw DashboardException.BadRequest("the body must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw DashboardException.BadRequest($"the body is not JSON: {ex.Message}");
        }
    }

    /// <summary>A string property of a JSON body: absent or null → null; anything but 1-200 characters of text is refused.</summary>
    public static string? BodyText(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 and <= 200 } s ? s
        : throw DashboardException.BadRequest($"'{name}' must be a non-empty string of at most 200 characters");
}
