namespace Basalt.Usage.Reports;

/// <summary>A stored audit event (dashboard changes): who did what to which object, with figures as JSON.</summary>
public sealed record AuditEntry(string Id, DateTimeOffset Time, string Event, string? Actor, string? Target, string DetailsJson);
