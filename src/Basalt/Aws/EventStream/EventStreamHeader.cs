namespace Basalt.Aws.EventStream;

/// <summary>One event-stream header: a name (1–255 UTF-8 bytes) and a typed value.</summary>
public readonly record struct EventStreamHeader(string Name, EventStreamHeaderValue Value);
