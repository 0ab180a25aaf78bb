using System.Globalization;
using System.IO.Compression;
using System.Text;
using Basalt.Gateway.Anthropic;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Hosting;
using Basalt.Identity;
using Basalt.Usage.Hosting;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Telemetry;

/// <summary>
/// The usage routes of the gateway (issue 10), mapped onto the library's <see cref="UsageServices"/>:
/// <list type="bullet">
/// <item><c>POST /v1/logs</c> and <c>POST /v1/metrics</c>: OTLP/HTTP exports from devices that bypass the gateway
/// (Claude Code with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> at the gateway, Claude Desktop's <c>otlpEndpoint</c>;
/// cowork3p-reference.md §9), authenticated like any other call. Logs are folded into usage as device-reported
/// records attributed to the caller; metrics are accepted and not folded (the same requests arrive as
/// <c>api_request</c> log events, folding both would count them twice).</item>
/// <item><c>GET /admin/usage?by=user|group|model|key|day|routing&amp;from=&amp;to=&amp;limit=&amp;offset=</c>,
/// <c>/admin/budgets</c>, <c>/admin/refusals?limit=</c>: the admin API (JSON) for an admin key or a principal in
/// an admin group.</item>
/// </list>
/// </summary>
internal sealed class UsageEndpoint(UsageServices usage, GatewayUsage config, long maxBodyBytes, TimeProvider time)
{
    /// <summary>True when <paramref name="path"/> is one of these routes (checked before the <c>/v1/</c> prefix).</summary>
    public static bool Serves(string path) => path is "/v1/logs" or "/v1/metrics" || path.StartsWith("/admin/", StringComparison.Ordinal);

    public async Task HandleAsync(GatewayExchange exchange, string path, string requestId, GatewayHandler gateway)
    {
        var aborted = exchange.Aborted;
        if (path is "/v1/logs" or "/v1/metrics")
        {
            await IngestAsync(exchange, path, requestId, gateway, aborted).ConfigureAwait(false);
            return;
        }

        if (exchange.Method != "GET")
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.NotFound($"{exchange.Method} {path} is not served by this gateway (the admin API is read-only: GET)"), requestId, aborted).ConfigureAwait(false);
            return;
        }

        if (await AuthorizeAdminAsync(exchange, path, gateway, aborted).ConfigureAwait(false) is { } refusal)
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, refusal, requestId, aborted).ConfigureAwait(false);
            return;
        }

        var query = FormFields.Parse(exchange.Query);
        string json;
        try
        {
            switch (path)
            {
                case "/admin/usage":
                    var by = query.GetValueOrDefault("by") ?? "user";
                    if (!Enum.TryParse<ReportBy>(by, ignoreCase: true, out var reportBy) || int.TryParse(by, out _))
                    {
                        await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.InvalidRequest($"by={by} is not a report grouping; expected user, group, model, key, day or routing"), requestId, aborted).ConfigureAwait(false);
                        return;
                    }

                    var now = time.GetUtcNow();
                    var from = Date(query.GetValueOrDefault("from")) ?? UsageReportQuery.MonthStart(now);
                    var to = Date(query.GetValueOrDefault("to")) ?? UsageReportQuery.EndOfHour(now);
                    if (from == DateTimeOffset.MinValue || to == DateTimeOffset.MinValue || to <= from)
                    {
                        await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.InvalidRequest("from and to must be ISO 8601 dates or times (e.g. 2026-12-01 or 2026-12-01T08:00:00Z) with from before to"), requestId, aborted).ConfigureAwait(false);
                        return;
                    }

                    json = await usage.Admin.UsageJsonAsync(reportBy, from, to, Int(query, "limit", 100), Int(query, "offset", 0), aborted).ConfigureAwait(false);
                    break;
                case "/admin/budgets":
                    json = await usage.Admin.BudgetsJsonAsync(time.GetUtcNow(), aborted).ConfigureAwait(false);
                    break;
                case "/admin/refusals":
                    json = await usage.Admin.RefusalsJsonAsync(Int(query, "limit", 50), aborted).ConfigureAwait(false);
                    break;
                default:
                    await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.NotFound($"{path} is not an admin route; expected /admin/usage, /admin/budgets or /admin/refusals"), requestId, aborted).ConfigureAwait(false);
                    return;
            }
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException)
        {
            // The store is down: say so (the records themselves wait in the journal; /readyz gives the cause).
            await ResponseWriter.AnthropicErrorAsync(exchange, new AnthropicError(503, "api_error", $"the usage store ({usage.Store.Kind}) is unavailable; reports return when it does (see /readyz)"), requestId, aborted).ConfigureAwait(false);
            return;
        }

        await ResponseWriter.JsonAsync(exchange, 200, Encoding.UTF8.GetBytes(json), aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Null when the caller may use admin routes (and scrape <c>/metrics</c>): an admin key (compared in constant
    /// time by hash), or any credential of the chain whose principal is in an admin group.
    /// </summary>
    public async ValueTask<AnthropicError?> AuthorizeAdminAsync(GatewayExchange exchange, string path, GatewayHandler gateway, CancellationToken cancellationToken)
    {
        var presented = exchange.GetHeader("x-api-key") ?? (exchange.GetHeader("authorization") is { } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..].Trim() : null);
        if (string.IsNullOrEmpty(presented))
        {
            return AnthropicError.Authentication("the admin API needs an admin key or a credential of an admin group (x-api-key or Authorization: Bearer)");
        }

        if (config.IsAdminKey(presented))
        {
            return null;
        }

        var auth = await gateway.AuthenticateAsync(exchange, path, cancellationToken).ConfigureAwait(false);
        if (auth.Outcome != AuthenticationOutcome.Authenticated)
        {
            return AnthropicError.Authentication(auth.Reason ?? "the credential is not valid here");
        }

        return auth.Principal!.Groups.Any(g => config.AdminGroups.Contains(g, StringComparer.Ordinal))
            ? null
            : AnthropicError.Permission($"'{auth.Principal.UserId}' is not an administrator: the admin API needs an admin key or membership of {(config.AdminGroups.Count == 0 ? "an admin group (none is configured under usage.admin.groups)" : string.Join(", ", config.AdminGroups))}");
    }

    private async Task IngestAsync(GatewayExchange exchange, string path, string requestId, GatewayHandler gateway, CancellationToken cancellationToken)
    {
        if (exchange.Method != "POST")
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.NotFound($"{exchange.Method} {path}: OTLP/HTTP exports are POSTed"), requestId, cancellationToken).ConfigureAwait(false);
            return;
        }

        var auth = await gateway.AuthenticateAsync(exchange, path, cancellationToken).ConfigureAwait(false);
        if (auth.Outcome != AuthenticationOutcome.Authenticated)
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.Authentication(auth.Reason ?? "an OTLP export to the gateway needs the same credential as a model call (OTEL_EXPORTER_OTLP_HEADERS=\"x-api-key=…\" or Authorization=Bearer …)"), requestId, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var body = await RequestBody.ReadAsync(exchange, maxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.TooLarge($"the OTLP export exceeds the gateway's limit of {maxBodyBytes} bytes"), requestId, cancellationToken).ConfigureAwait(false);
            return;
        }

        var contentType = exchange.GetHeader("content-type");
        var json = contentType is not null && contentType.Contains("json", StringComparison.OrdinalIgnoreCase);
        if (path == "/v1/logs")
        {
            byte[] payload;
            try
            {
                payload = string.Equals(exchange.GetHeader("content-encoding"), "gzip", StringComparison.OrdinalIgnoreCase) ? Gunzip(body.Memory) : body.Memory.ToArray();
                var result = usage.DeviceIngest.FoldLogs(payload, contentType, auth.Principal!);
                foreach (var record in result.Records)
                {
                    // Durable before the device is told it may drop the batch (same journal as gateway traffic).
                    await usage.Sink.RecordAsync(record, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or Google.Protobuf.InvalidProtocolBufferException or System.Text.Json.JsonException or FormatException)
            {
                await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.InvalidRequest($"the body is not an OTLP ExportLogsServiceRequest ({(json ? "JSON" : "protobuf")}, as Content-Type says): {ex.Message}"), requestId, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        // OTLP/HTTP success: an empty Export*ServiceResponse in the request's encoding (OTLP spec, "Full Success").
        exchange.StatusCode = 200;
        exchange.SetResponseHeader("content-type", json ? "application/json" : "application/x-protobuf");
        var reply = json ? "{}"u8.ToArray() : [];
        exchange.SetResponseHeader("content-length", reply.Length.ToString(CultureInfo.InvariantCulture));
        if (reply.Length > 0)
        {
            await exchange.ResponseBody.WriteAsync(reply, cancellationToken).ConfigureAwait(false);
        }
    }

    private byte[] Gunzip(ReadOnlyMemory<byte> compressed)
    {
        using var input = new MemoryStream(compressed.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = gzip.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
            if (output.Length > maxBodyBytes)
            {
                // A small gzip body can expand without bound: the limit applies to what it expands to.
                throw new InvalidDataException($"the export expands beyond the gateway's limit of {maxBodyBytes} bytes");
            }
        }

        return output.ToArray();
    }


    /// <summary>Missing → null (default applies); unparsable → <see cref="DateTimeOffset.MinValue"/> so the caller refuses it.</summary>
    private static DateTimeOffset? Date(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d
        : DateTimeOffset.MinValue;

    private static int Int(Dictionary<string, string> query, string key, int fallback) =>
        query.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
