namespace Basalt.Usage;

/// <summary>How a gateway request ended, as recorded in usage (issue 10 item 1).</summary>
public enum UsageOutcome
{
    Ok,
    ClientCancelled,
    UpstreamError,
    RefusedByPolicy,
    InvalidRequest,
}
