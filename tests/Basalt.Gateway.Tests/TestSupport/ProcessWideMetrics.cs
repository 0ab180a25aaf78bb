namespace Basalt.Gateway.Tests.TestSupport;

/// <summary>
/// Tests that read the gateway's metrics: the meter ("Basalt.Gateway") is process-wide, so while they run no other
/// test of this process may make gateway requests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetrics
{
    public const string Name = "process-wide metrics";
}
