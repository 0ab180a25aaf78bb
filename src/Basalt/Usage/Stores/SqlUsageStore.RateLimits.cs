using System.Globalization;
using Basalt.Usage.Limits;

namespace Basalt.Usage.Stores;

/// <summary>Rate limits set from the dashboard (schema version 5), read by every replica's admission.</summary>
internal abstract partial class SqlUsageStore
{
    public async Task<IReadOnlyList<RateLimitDefinition>> ListRateLimitsAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null,
            "SELECT scope, scope_value, requests_per_minute, input_tokens_per_minute, output_tokens_per_minute, concurrent_streams FROM usage_rate_limits ORDER BY id");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<RateLimitDefinition>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            long? L(int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            list.Add(new RateLimitDefinition
            {
                Scope = Enum.Parse<UsageDimension>(reader.GetString(0), ignoreCase: true),
                ScopeValue = reader.GetString(1),
                RequestsPerMinute = L(2),
                InputTokensPerMinute = L(3),
                OutputTokensPerMinute = L(4),
                ConcurrentStreams = L(5) is { } s ? (int)s : null,
            });
        }

        return list;
    }

    public async Task SetRateLimitAsync(RateLimitDefinition limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limit);
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(conn, null, """
            INSERT INTO usage_rate_limits (id, scope, scope_value, requests_per_minute, input_tokens_per_minute, output_tokens_per_minute, concurrent_streams, updated_at_ms)
            VALUES (@id, @scope, @sv, @rpm, @itpm, @otpm, @streams, @now)
            ON CONFLICT (id) DO UPDATE SET scope = excluded.scope, scope_value = excluded.scope_value,
              requests_per_minute = excluded.requests_per_minute, input_tokens_per_minute = excluded.input_tokens_per_minute,
              output_tokens_per_minute = excluded.output_tokens_per_minute, concurrent_streams = excluded.concurrent_streams,
              updated_at_ms = excluded.updated_at_ms
            """, cancellationToken,
            ("id", limit.Id), ("scope", DimName(limit.Scope)), ("sv", limit.Scope == UsageDimension.Org ? "*" : limit.ScopeValue),
            ("rpm", limit.RequestsPerMinute), ("itpm", limit.InputTokensPerMinute), ("otpm", limit.OutputTokensPerMinute),
            ("streams", limit.ConcurrentStreams), ("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).ConfigureAwait(false);
    }

    public async Task<bool> DeleteRateLimitAsync(string id, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(conn, null, "DELETE FROM usage_rate_limits WHERE id = @id", cancellationToken, ("id", id)).ConfigureAwait(false) > 0;
    }
}
