namespace Basalt.Usage.Ingest;

/// <summary>The parts of an OTLP log record device telemetry needs: time, event name/body, attributes, and its resource's attributes.</summary>
internal sealed record OtlpLogRecord(ulong TimeUnixNano, string? EventName, string? Body, IReadOnlyDictionary<string, string?> Attributes, IReadOnlyDictionary<string, string?> Resource);
