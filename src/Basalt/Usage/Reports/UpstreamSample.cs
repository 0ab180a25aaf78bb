namespace Basalt.Usage.Reports;

/// <summary>One recent gateway request's upstream figures, for upstream health (latency percentiles, failures).</summary>
public sealed record UpstreamSample(string Upstream, string? Region, long TimestampMs, long DurationMs, long? TtfbMs, bool Failed);
