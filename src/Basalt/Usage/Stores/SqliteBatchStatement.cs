using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Basalt.Usage.Stores;

/// <summary>
/// One statement prepared once per batch on an open <see cref="SqliteConnection"/> and executed once per row with
/// its parameters bound by ordinal. Microsoft.Data.Sqlite re-binds every parameter by name on each execution
/// (<c>sqlite3_bind_parameter_index</c> with a UTF-8 copy of the name, plus value-type dispatch per value): in the
/// usage ingest benchmark that binding was 40% of the store's CPU (dotnet-trace, 2026-12-07), more than SQLite's
/// own work. Text is encoded into one reused buffer and bound as a transient copy, so a row allocates nothing.
/// </summary>
internal sealed class SqliteBatchStatement : IDisposable
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt stmt;
    private byte[] text = new byte[256];

    public SqliteBatchStatement(SqliteConnection connection, string sql)
    {
        db = connection.Handle ?? throw new InvalidOperationException("the SQLite connection is not open");
        var rc = raw.sqlite3_prepare_v2(db, sql, out stmt);
        SqliteException.ThrowExceptionForRC(rc, db);
    }

    public void Bind(int ordinal, long value) => raw.sqlite3_bind_int64(stmt, ordinal, value);

    public void Bind(int ordinal, long? value)
    {
        if (value is { } v)
        {
            raw.sqlite3_bind_int64(stmt, ordinal, v);
        }
        else
        {
            raw.sqlite3_bind_null(stmt, ordinal);
        }
    }

    public void Bind(int ordinal, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(stmt, ordinal);
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > text.Length)
        {
            text = new byte[Math.Max(max, text.Length * 2)];
        }

        var n = Encoding.UTF8.GetBytes(value, text);
        raw.sqlite3_bind_text(stmt, ordinal, text.AsSpan(0, n));
    }

    /// <summary>Runs the statement to completion and resets it for the next row; returns the rows it changed.</summary>
    public int Execute()
    {
        var rc = raw.sqlite3_step(stmt);
        var changed = rc == raw.SQLITE_DONE ? raw.sqlite3_changes(db) : 0;
        raw.sqlite3_reset(stmt);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        return changed;
    }

    public void Dispose() => stmt.Dispose();
}
