using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Basalt.Identity;
using Basalt.Usage.Pricing;
using Basalt.Usage.Records;

namespace Basalt.Usage.Ingest;

/// <summary>
/// Folds device telemetry into usage (issue 10 item 9): Claude Code and Claude Desktop sessions that go straight to
/// Bedrock export OpenTelemetry logs (cowork3p-reference.md §9.2); each <c>api_request</c> event (model,
/// input/output/cache-read/cache-creation tokens, <c>cost_usd</c>, duration) becomes a usage record marked
/// device-reported, attributed to the principal that authenticated the OTLP call (not to ids inside the payload).
/// Tokens are priced from the catalogue like gateway traffic; the device's own <c>cost_usd</c> is used only when
/// the model has no price here, flagged as fallback-priced. The record id is a hash of the session, event sequence,
/// timestamp, prompt id and model, so a device retrying an export does not count twice. Metrics exports are accepted
/// by the gateway but not folded (the same requests arrive as <c>api_request</c> events; folding both would double count).
/// </summary>
public sealed class DeviceTelemetryIngest
{
    private readonly UsagePricer pricer;

    public DeviceTelemetryIngest(UsagePricer pricer)
    {
        this.pricer = pricer;
    }

    /// <summary>Parses one <c>/v1/logs</c> body (protobuf unless <paramref name="contentType"/> says JSON).</summary>
    public DeviceIngestResult FoldLogs(ReadOnlySpan<byte> body, string? contentType, Principal principal)
    {
        var logs = OtlpLogsReader.Read(body, contentType);
        var records = new List<UsageRecord>();
        foreach (var log in logs)
        {
            if (!IsApiRequest(log))
            {
                continue;
            }

            string? A(string key) => log.Attributes.TryGetValue(key, out var v) ? v : null;
            var model = A("model") ?? "unknown";
            var input = Long(A("input_tokens"));
            var output = Long(A("output_tokens"));
            var cacheRead = Long(A("cache_read_tokens"));
            var cacheWrite = Long(A("cache_creation_tokens"));
            var (usd, basis) = pricer.Price(model, model, input, output, cacheRead, cacheWrite, 0);
            if (basis == PriceBasis.Unpriced && decimal.TryParse(A("cost_usd"), NumberStyles.Float, CultureInfo.InvariantCulture, out var deviceCost))
            {
                (usd, basis) = (deviceCost, PriceBasis.Fallback);
            }

            var timestamp = log.TimeUnixNano > 0
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)(log.TimeUnixNano / 1_000_000))
                : DateTimeOffset.TryParse(A("event.timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.UtcNow;
            var session = A("session.id");
            var service = log.Resource.TryGetValue("service.name", out var s) ? s : null;
            var identity = string.Join('\u001f', session, A("event.sequence"), timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), A("prompt.id"), model, principal.UserId);
            records.Add(new UsageRecord
            {
                RequestId = "device-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32],
                TimestampMs = timestamp.ToUnixTimeMilliseconds(),
                UserId = principal.UserId,
                DisplayName = principal.DisplayName,
                Groups = principal.Groups,
                KeyId = principal.CredentialId,
                AuthMethod = principal.Method.ToString(),
                CostCentre = principal.CostCentre,
                Source = UsageSource.Device,
                Protocol = "otlp",
                UserAgent = service,
                SessionId = session,
                ModelRequested = model,
                ModelServed = model,
                InputTokens = input,
                OutputTokens = output,
                CacheReadTokens = cacheRead,
                CacheWrite5mTokens = cacheWrite,
                CostNanos = UsagePricer.ToNanos(usd),
                PriceBasis = basis,
                DurationMs = Long(A("duration_ms")),
                Outcome = UsageOutcome.Ok,
                StatusCode = 200,
            });
        }

        return new DeviceIngestResult(logs.Count, records);
    }

    private static bool IsApiRequest(OtlpLogRecord log)
    {
        static bool Matches(string? name) => name is not null && (name == "api_request" || name.EndsWith(".api_request", StringComparison.Ordinal));
        return Matches(log.EventName) || Matches(log.Body) || (log.Attributes.TryGetValue("event.name", out var n) && Matches(n));
    }

    private static long Long(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : 0;
}
