using System.Runtime.InteropServices;
using Basalt.Usage.Records;

namespace Basalt.Usage.Stores;

/// <summary>
/// Folds a batch of newly inserted records into rollup deltas before they touch the database, so a batch of
/// thousands of records from a few hundred people costs a few hundred upserts, not (2 buckets × dimensions) per
/// record. Keys are sorted so concurrent writers (replicas) lock rollup rows in one order and never deadlock.
/// </summary>
internal sealed class RollupAccumulator
{
    public const string Hour = "h";
    public const string Day = "d";

    /// <summary>Joins requested and baseline in a routing rollup's value, and the served model in its report key.</summary>
    public const char RoutingSeparator = '>';

    private readonly Dictionary<RollupKey, long[]> rows = new(KeyComparer.Instance);

    /// <summary>Column order of the value array; matches the rollup table's value columns.</summary>
    public static readonly string[] ValueColumns =
    [
        "requests", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "cost_nanos",
        "estimated", "fallback_priced", "unpriced", "refused", "device", "errors",
    ];

    public int Count => rows.Count;

    /// <summary>How many records were added.</summary>
    public int Requests { get; private set; }

    /// <summary>The rollup dimensions <see cref="Add(UsageRecord, long)"/> writes (day compaction folds each of them).</summary>
    public static readonly string[] Dimensions = ["user", "org", "key", "routing", "group", "member"];

    /// <summary>Adds a record to its hour and day rollups (the backfill of a day, and stores older than the compaction schema).</summary>
    public void Add(UsageRecord r) => Add(r, long.MaxValue);

    /// <summary>
    /// Adds a record to its hour rollups, and to its day rollups only if its hour starts before
    /// <paramref name="dayRollupsBefore"/> (the store's watermark, in Unix seconds): later hours reach their day rows
    /// when folded (SqlUsageStore.CompactAsync), so the hot path writes half the rows.
    /// </summary>
    public void Add(UsageRecord r, long dayRollupsBefore)
    {
        Requests++;
        var seconds = r.TimestampMs / 1000;
        var hour = seconds - Mod(seconds, 3600);
        var day = seconds - Mod(seconds, 86400);
        var model = r.ReportModel;
        var source = r.Source == UsageSource.Device ? "device" : "gateway";
        AddBucket(Hour, hour, r, model, source);
        if (hour < dayRollupsBefore)
        {
            AddBucket(Day, day, r, model, source);
        }
    }

    /// <summary>
    /// The deltas in key order (an ordinal comparison field by field; one sort of a list, not a LINQ chain of six
    /// key selectors, which was 8% of the ingest benchmark's CPU).
    /// </summary>
    public List<(RollupKey Key, long[] Values)> Sorted()
    {
        var list = new List<(RollupKey Key, long[] Values)>(rows.Count);
        foreach (var kv in rows)
        {
            list.Add((kv.Key, kv.Value));
        }

        list.Sort(static (a, b) => Compare(a.Key, b.Key));
        return list;
    }

    private static int Compare(in RollupKey a, in RollupKey b)
    {
        var c = string.CompareOrdinal(a.Size, b.Size);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.Dim, b.Dim);
        }

        if (c == 0)
        {
            c = a.Start.CompareTo(b.Start);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.Value, b.Value);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.Model, b.Model);
        }

        return c != 0 ? c : string.CompareOrdinal(a.Source, b.Source);
    }

    /// <remarks>
    /// Every key carries a hash built from string hashes taken once per record (user, model, key, each group) rather
    /// than the record struct's hash of all six fields per key (five string hashes each, seven keys a record): in the
    /// dense ingest profile the accumulator was ~6% of the process (perf, 2026-12-07).
    /// </remarks>
    private void AddBucket(string size, long start, UsageRecord r, string model, string source)
    {
        var userHash = r.UserId.GetHashCode(StringComparison.Ordinal);
        var bucketHash = HashCode.Combine(size[0], start, model.GetHashCode(StringComparison.Ordinal), source[0]);
        Add(new RollupKey(size, "user", start, r.UserId, model, source) { Hash = HashCode.Combine(bucketHash, 1, userHash) }, r);
        Add(new RollupKey(size, "org", start, "*", model, source) { Hash = HashCode.Combine(bucketHash, 2) }, r);
        if (!string.IsNullOrEmpty(r.KeyId))
        {
            Add(new RollupKey(size, "key", start, r.KeyId, model, source) { Hash = HashCode.Combine(bucketHash, 3, r.KeyId.GetHashCode(StringComparison.Ordinal)) }, r);
        }

        if (!string.IsNullOrEmpty(r.ModelBaseline))
        {
            // What routing did, by (requested, baseline) and served model: the routing savings report prices
            // these tokens at the baseline's list price (ReportBy.Routing).
            var routing = $"{r.ModelRequested}{RoutingSeparator}{r.ModelBaseline}";
            Add(new RollupKey(size, "routing", start, routing, model, source) { Hash = HashCode.Combine(bucketHash, 4, routing.GetHashCode(StringComparison.Ordinal)) }, r);
        }

        var groups = r.Groups;
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            if (IndexOf(groups, g, i) < i)
            {
                continue; // a group listed twice counts once
            }

            var groupHash = g.GetHashCode(StringComparison.Ordinal);
            Add(new RollupKey(size, "group", start, g, model, source) { Hash = HashCode.Combine(bucketHash, 5, groupHash) }, r);

            // group|user: a team lead's users are the range 'team|' .. 'team}' of one index ('|' never occurs in
            // a group name: it separates them in group_list). Hashed from the two parts, not the joined text.
            Add(new RollupKey(size, "member", start, g + "|" + r.UserId, model, source) { Hash = HashCode.Combine(bucketHash, 6, groupHash, userHash) }, r);
        }
    }

    private static int IndexOf(IReadOnlyList<string> list, string value, int before)
    {
        for (var i = 0; i < before; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return before;
    }

    private void Add(RollupKey key, UsageRecord r)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(rows, key, out _);
        var v = slot ??= new long[ValueColumns.Length];

        v[0]++;
        v[1] += r.InputTokens;
        v[2] += r.OutputTokens;
        v[3] += r.CacheReadTokens;
        v[4] += r.CacheWrite5mTokens + r.CacheWrite1hTokens;
        v[5] += r.CostNanos;
        v[6] += r.IsEstimate ? 1 : 0;
        v[7] += r.PriceBasis == Pricing.PriceBasis.Fallback ? 1 : 0;
        v[8] += r.PriceBasis == Pricing.PriceBasis.Unpriced ? 1 : 0;
        v[9] += r.Outcome == UsageOutcome.RefusedByPolicy ? 1 : 0;
        v[10] += r.Source == UsageSource.Device ? 1 : 0;
        v[11] += r.Outcome is UsageOutcome.UpstreamError or UsageOutcome.InvalidRequest ? 1 : 0;
    }

    private static long Mod(long a, long m) => ((a % m) + m) % m;

    internal readonly record struct RollupKey(string Size, string Dim, long Start, string Value, string Model, string Source)
    {
        /// <summary>The key's hash as <see cref="AddBucket"/> composed it; keys with equal fields and hashes are one row.</summary>
        public int Hash { get; init; }
    }

    /// <summary>
    /// Equality by the precomputed hash, then the fields. Two keys with equal fields are merged when their hashes are
    /// equal too, which AddBucket guarantees for its keys (the same parts hashed the same way); were they ever not,
    /// the batch would write that row twice, each an upsert adding its share: still the right totals.
    /// </summary>
    private sealed class KeyComparer : IEqualityComparer<RollupKey>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(RollupKey a, RollupKey b) =>
            a.Hash == b.Hash && a.Start == b.Start && string.Equals(a.Value, b.Value, StringComparison.Ordinal)
            && string.Equals(a.Dim, b.Dim, StringComparison.Ordinal) && string.Equals(a.Model, b.Model, StringComparison.Ordinal)
            && string.Equals(a.Size, b.Size, StringComparison.Ordinal) && string.Equals(a.Source, b.Source, StringComparison.Ordinal);

        public int GetHashCode(RollupKey key) => key.Hash;
    }
}
