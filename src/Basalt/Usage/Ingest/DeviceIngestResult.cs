using Basalt.Usage.Records;

namespace Basalt.Usage.Ingest;

/// <summary>What one OTLP export yielded: how many log records were read and the usage records folded from them.</summary>
public sealed record DeviceIngestResult(int LogRecords, IReadOnlyList<UsageRecord> Records);
