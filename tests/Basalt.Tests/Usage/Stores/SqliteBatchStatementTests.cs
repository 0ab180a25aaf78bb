using Basalt.IO;
using Basalt.Testing;
using Basalt.Usage.Stores;
using Microsoft.Data.Sqlite;

namespace Basalt.Tests.Usage.Stores;

public sealed class SqliteBatchStatementTests
{
    /// <summary>
    /// Texts are bound without a copy from one pinned buffer per row; a row whose texts outgrow it moves on to a larger
    /// buffer while the earlier parameters still point into the old one, which must stay valid until the step.
    /// </summary>
    [Fact]
    public async Task Rows_whose_texts_outgrow_the_buffer_mid_row_are_stored_exactly_and_the_next_row_reuses_it()
    {
        using var dir = new TempDirectory();
        await using var connection = await OpenWithTableAsync(dir, "CREATE TABLE t (id TEXT NOT NULL PRIMARY KEY, a TEXT, b TEXT, c TEXT, d TEXT, n BIGINT, m BIGINT)");

        var big = string.Concat(Enumerable.Repeat("Grüße, 東京 — ", 900)); // ~16 KB of UTF-8, over the 4 KB buffer
        string?[][] rows =
        [
            ["r1", "short", big, "after-the-big-one", null],
            ["r2", string.Empty, "x", big + big, "ü"],
            ["r3", "plain", null, "third", "row"],
        ];
        var changed = new List<int>();
        using (var insert = new SqliteBatchStatement(connection, "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING"))
        {
            foreach (var row in rows.Append(rows[0]))
            {
                for (var i = 0; i < row.Length; i++)
                {
                    insert.Bind(i + 1, row[i]);
                }

                insert.Bind(6, row[0]!.Length * 1_000_000_000_000L);
                insert.Bind(7, row[4] is null ? null : (long?)-7);
                changed.Add(insert.Execute());
            }
        }

        Assert.Equal(new[] { 1, 1, 1, 0 }, changed); // the repeated id hits the conflict clause: no change
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT id, a, b, c, d, n, m FROM t ORDER BY id";
        await using var reader = await read.ExecuteReaderAsync();
        foreach (var row in rows)
        {
            Assert.True(await reader.ReadAsync());
            for (var i = 0; i < row.Length; i++)
            {
                Assert.Equal(row[i], reader.IsDBNull(i) ? null : reader.GetString(i));
            }

            Assert.Equal(2_000_000_000_000L, reader.GetInt64(5));
            Assert.Equal(row[4] is null, reader.IsDBNull(6));
        }

        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task A_failing_row_throws_the_SQLite_error_and_the_statement_runs_the_next_row()
    {
        using var dir = new TempDirectory();
        await using var connection = await OpenWithTableAsync(dir, "CREATE TABLE t (id TEXT NOT NULL PRIMARY KEY, v TEXT NOT NULL)");

        using var insert = new SqliteBatchStatement(connection, "INSERT INTO t VALUES (?1, ?2)");
        insert.Bind(1, "a");
        insert.Bind(2, (string?)null);
        var error = Assert.Throws<SqliteException>(() => insert.Execute());
        Assert.Contains("NOT NULL", error.Message, StringComparison.Ordinal);

        insert.Bind(1, "b");
        insert.Bind(2, "ok");
        Assert.Equal(1, insert.Execute());
    }

    /// <summary>A connection to a new database in <paramref name="dir"/> holding one table, opened as the stores open theirs.</summary>
    private static async Task<SqliteConnection> OpenWithTableAsync(TempDirectory dir, string createTable)
    {
        SqliteRuntime.EnsureInitialized();
        var connection = new SqliteConnection($"Data Source={dir.Combine("t.db")}");
        await connection.OpenAsync();
        await using var create = connection.CreateCommand();
        create.CommandText = createTable;
        await create.ExecuteNonQueryAsync();
        return connection;
    }
}
