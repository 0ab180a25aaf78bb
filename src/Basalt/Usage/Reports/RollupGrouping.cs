namespace Basalt.Usage.Reports;

/// <summary>What a dashboard rollup query groups its rows by.</summary>
public enum RollupGrouping
{
    /// <summary>The dimension's value (user id, group, key id, <c>group|user</c> for members).</summary>
    Value,

    Model,

    /// <summary>Time buckets (hours or days, <see cref="DashboardRollupQuery.HourBuckets"/>).</summary>
    Bucket,
}
