using Basalt.Usage.Stores;
using Npgsql;

namespace Basalt.Usage.Limits;

/// <summary>
/// The ledger shared by replicas through PostgreSQL (<c>usage_quota</c>): a claim locks the window's row, grants
/// <c>min(want, limit − claimed)</c> and adds it, in one short transaction. Replicas call it only when their local
/// slice runs out, not per request.
/// </summary>
internal sealed class PostgresQuotaLedger : IQuotaLedger
{
    private readonly NpgsqlDataSource dataSource;

    public PostgresQuotaLedger(IUsageStore store)
    {
        dataSource = (store as PostgresUsageStore ?? throw new ArgumentException("the shared quota ledger needs the PostgreSQL usage store", nameof(store))).DataSource;
    }

    public bool Shared => true;

    public async ValueTask<(long Granted, long Claimed)> ClaimAsync(string key, long windowStart, long limit, long want, Func<CancellationToken, Task<long>> initial, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM usage_quota WHERE quota_key = @k AND window_start = @w", conn))
        {
            exists.Parameters.AddWithValue("k", key);
            exists.Parameters.AddWithValue("w", windowStart);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                var already = await initial(cancellationToken).ConfigureAwait(false);
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO usage_quota (quota_key, window_start, limit_value, claimed) VALUES (@k, @w, @l, @c) ON CONFLICT DO NOTHING", conn);
                insert.Parameters.AddWithValue("k", key);
                insert.Parameters.AddWithValue("w", windowStart);
                insert.Parameters.AddWithValue("l", limit);
                insert.Parameters.AddWithValue("c", already);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await using var claim = new NpgsqlCommand("""
            UPDATE usage_quota q SET claimed = q.claimed + g.grant_amount, limit_value = @l
            FROM (SELECT LEAST(@want, GREATEST(@l - claimed, 0)) AS grant_amount FROM usage_quota
                  WHERE quota_key = @k AND window_start = @w FOR UPDATE) g
            WHERE q.quota_key = @k AND q.window_start = @w
            RETURNING g.grant_amount, q.claimed
            """, conn);
        claim.Parameters.AddWithValue("k", key);
        claim.Parameters.AddWithValue("w", windowStart);
        claim.Parameters.AddWithValue("l", limit);
        claim.Parameters.AddWithValue("want", want);
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, limit);
    }

    /// <summary>Finished windows' rows are small and deleted by retention (<see cref="PruneAsync"/>).</summary>
    public void Forget(string key, long windowStart)
    {
    }

    /// <summary>Deletes ledger rows of windows that ended before <paramref name="before"/> (Unix seconds of window start).</summary>
    public async Task PruneAsync(long before, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("DELETE FROM usage_quota WHERE window_start < @b", conn);
        cmd.Parameters.AddWithValue("b", before);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ReturnAsync(string key, long windowStart, long amount, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("UPDATE usage_quota SET claimed = GREATEST(claimed - @a, 0) WHERE quota_key = @k AND window_start = @w", conn);
        cmd.Parameters.AddWithValue("k", key);
        cmd.Parameters.AddWithValue("w", windowStart);
        cmd.Parameters.AddWithValue("a", amount);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
