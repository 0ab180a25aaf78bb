using System.Diagnostics;
using System.Diagnostics.Metrics;
using Basalt.Usage.Records;

namespace Basalt.Usage.Telemetry;

/// <summary>
/// Gateway metrics and trace tags from usage (issue 10 item 8), on System.Diagnostics so the library needs no
/// OpenTelemetry SDK: the host subscribes with OpenTelemetry (OTLP exporter, Prometheus scrape) to
/// <see cref="MeterName"/>. Names and attributes follow the OpenTelemetry GenAI semantic conventions
/// (<c>gen_ai.client.token.usage</c> with <c>gen_ai.token.type</c>, <c>gen_ai.client.operation.duration</c>,
/// <c>gen_ai.server.time_to_first_token</c>, <c>gen_ai.request.model</c>, <c>gen_ai.response.model</c>,
/// <c>gen_ai.provider.name</c>) plus <c>enduser.id</c>; Basalt's own counters (cost, refusals, store health) are
/// under <c>basalt.*</c>. Never prompt or completion text.
/// </summary>
public sealed class UsageMetrics : IDisposable
{
    public const string MeterName = "Basalt.Gateway";
    public const string ActivitySourceName = "Basalt.Gateway";

    private readonly Meter meter;
    private readonly Histogram<long> tokens;
    private readonly Histogram<double> duration;
    private readonly Histogram<double> ttft;
    private readonly Counter<long> requests;
    private readonly Counter<double> cost;
    private readonly Counter<long> refusals;
    private readonly Counter<long> upstreamFailures;

    public UsageMetrics(Func<UsageHealth>? health = null)
    {
        meter = new Meter(MeterName, "1.0");
        tokens = meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Tokens used per request, by gen_ai.token.type",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304] });
        duration = meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s", "Duration of a gateway request",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });
        ttft = meter.CreateHistogram<double>("gen_ai.server.time_to_first_token", "s", "Time to the first response byte",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0] });
        requests = meter.CreateCounter<long>("basalt.gateway.requests", "{request}", "Gateway requests by outcome");
        cost = meter.CreateCounter<double>("basalt.gateway.cost", "USD", "List-price cost of gateway requests (decimal in the store; float here)");
        refusals = meter.CreateCounter<long>("basalt.gateway.policy.refusals", "{request}", "Requests refused by a budget or rate limit");
        upstreamFailures = meter.CreateCounter<long>("basalt.gateway.upstream.failures", "{request}", "Requests that ended in an upstream error");
        if (health is not null)
        {
            meter.CreateObservableGauge("basalt.usage.store.up", () => health().StoreHealthy ? 1 : 0, null, "1 when the usage store accepts writes");
            meter.CreateObservableGauge("basalt.usage.journal.backlog", () => health().BacklogBytes, "By", "Journal bytes not yet in the store");
        }
    }

    /// <summary>Records one request's usage as metrics and as tags on the current request span, if any.</summary>
    public void Record(UsageRecord r)
    {
        var model = r.ReportModel;
        var common = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.provider.name", "aws.bedrock" },
            { "gen_ai.request.model", r.ModelRequested },
            { "gen_ai.response.model", model },
            { "enduser.id", r.UserId },
        };
        var input = common;
        input.Add("gen_ai.token.type", "input");
        tokens.Record(r.InputTokens + r.CacheReadTokens + r.CacheWrite5mTokens + r.CacheWrite1hTokens, input);
        var output = common;
        output.Add("gen_ai.token.type", "output");
        tokens.Record(r.OutputTokens, output);
        duration.Record(r.DurationMs / 1000.0, common);
        if (r.TtfbMs is { } t)
        {
            ttft.Record(t / 1000.0, common);
        }

        var outcome = new TagList { { "outcome", r.Outcome.ToString() }, { "source", r.Source == UsageSource.Device ? "device" : "gateway" } };
        requests.Add(1, outcome);
        cost.Add((double)r.CostUsd, new TagList { { "gen_ai.response.model", model }, { "enduser.id", r.UserId } });
        if (r.Outcome == UsageOutcome.UpstreamError)
        {
            upstreamFailures.Add(1, new TagList { { "upstream", r.Upstream ?? "unknown" } });
        }

        if (Activity.Current is { } span)
        {
            span.SetTag("enduser.id", r.UserId);
            span.SetTag("gen_ai.request.model", r.ModelRequested);
            span.SetTag("gen_ai.response.model", model);
            span.SetTag("gen_ai.usage.input_tokens", r.InputTokens);
            span.SetTag("gen_ai.usage.output_tokens", r.OutputTokens);
        }
    }

    /// <summary>A budget or rate-limit refusal, by kind (<c>budget</c>, <c>rate_limit</c>) and limit name.</summary>
    public void Refused(string kind, string limit) => refusals.Add(1, new TagList { { "kind", kind }, { "limit", limit } });

    public void Dispose() => meter.Dispose();
}
