namespace Basalt.Usage.Reports;

/// <summary>The rollup dimensions the dashboard reads (the usage store's <c>dim</c> column).</summary>
public enum RollupDimension
{
    User,
    Group,
    Key,
    Org,

    /// <summary><c>group|user</c>: one row per user per group they were in (a team lead's view of their people).</summary>
    Member,
}
