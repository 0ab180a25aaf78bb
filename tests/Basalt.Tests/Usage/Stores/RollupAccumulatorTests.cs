using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage.Stores;

public sealed class RollupAccumulatorTests
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Keys hash from per-record parts (RollupAccumulator.AddBucket), so equal keys built from different string
    /// instances must still meet in one row: a batch writes each rollup row once.
    /// </summary>
    [Fact]
    public void Records_of_one_hour_share_their_rollup_rows_and_a_group_listed_twice_counts_once()
    {
        var rollups = new RollupAccumulator();
        // New string instances for equal values, as records read back from the journal have.
        string Copy(string s) => new(s.AsSpan());
        rollups.Add(UsageTestData.Record("a", Copy("ann"), Hour.AddMinutes(1), groups: [Copy("team"), Copy("eng")]), dayRollupsBefore: 0);
        rollups.Add(UsageTestData.Record("b", Copy("ann"), Hour.AddMinutes(59), groups: [Copy("team"), Copy("eng"), Copy("team")]), dayRollupsBefore: 0);

        // user, org, key, group team, group eng, member team|ann, member eng|ann: hour rows only (the watermark is 0).
        Assert.Equal(7, rollups.Count);
        Assert.All(rollups.Sorted(), row => Assert.Equal(2, row.Values[0]));

        rollups.Add(UsageTestData.Record("c", "bob", Hour.AddMinutes(30), groups: ["team"]), dayRollupsBefore: 0);
        var rows = rollups.Sorted();
        Assert.Equal(10, rows.Count); // bob's user, key and member team|bob rows; org and group team are shared
        Assert.Equal(3, rows.Single(r => r.Key.Dim == "org").Values[0]);
        Assert.Equal(3, rows.Single(r => r.Key.Dim == "group" && r.Key.Value == "team").Values[0]);
        Assert.Equal(1, rows.Single(r => r.Key.Dim == "member" && r.Key.Value == "team|bob").Values[0]);
        Assert.Equal(3000, rows.Single(r => r.Key.Dim == "org").Values[1]);

        rollups.Add(UsageTestData.Record("d", "ann", Hour.AddHours(1), groups: ["team"]), dayRollupsBefore: 0);
        Assert.Equal(15, rollups.Count); // the next hour is new rows: user, org, key, group, member
    }
}
