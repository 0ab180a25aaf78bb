namespace Basalt.Usage.Telemetry;

/// <summary>State of the durable usage path for <c>/readyz</c> and metrics: is the store taking writes, and how much waits in the journal.</summary>
public sealed record UsageHealth(bool StoreHealthy, string? LastError, long BacklogBytes, long RecordsWritten);
