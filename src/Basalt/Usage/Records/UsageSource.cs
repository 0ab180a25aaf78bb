namespace Basalt.Usage.Records;

/// <summary>Who measured a record: the gateway from the stream, or a device's own OpenTelemetry export (issue 10 item 9).</summary>
public enum UsageSource
{
    Gateway,
    Device,
}
