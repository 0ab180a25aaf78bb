using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Basalt.Usage.Stores;

/// <summary>
/// One statement prepared once per batch on an open <see cref="SqliteConnection"/> and executed once per row with
/// its parameters bound by ordinal. Microsoft.Data.Sqlite re-binds every parameter by name on each execution
/// (<c>sqlite3_bind_parameter_index</c> with a UTF-8 copy of the name, plus value-type dispatch per value): in the
/// usage ingest benchmark that binding was 40% of the store's CPU (dotnet-trace, 2026-12-07), more than SQLite's
/// own work.
/// <para>
/// Binding and stepping call e_sqlite3 directly with the raw pointers, held by one reference for the batch:
/// SQLitePCLRaw's per-call <c>SafeHandle</c> reference counting (<c>DangerousAddRef</c>/<c>DangerousRelease</c> on
/// every bind and step) was 4.5% of the ingest process (perf, 2026-12-07 17:15), 40 calls a record. Binds are short,
/// never block and never call back, so they skip the GC transition too. A row's text is encoded into one pinned
/// buffer and bound without a copy (<c>SQLITE_STATIC</c>): SQLite reads it only during the next step, and every
/// parameter is bound again before each step.
/// </para>
/// </summary>
internal sealed class SqliteBatchStatement : IDisposable
{
    private static readonly IntPtr Static = IntPtr.Zero;

    private readonly sqlite3 db;
    private readonly sqlite3_stmt stmt;
    private readonly IntPtr dbPtr;
    private readonly IntPtr stmtPtr;
    private readonly bool dbReferenced;
    private readonly bool stmtReferenced;

    // Pinned (pinned object heap) so its address is stable while SQLite holds pointers into it; a row's texts sit
    // one after another, and a buffer outgrown mid-row stays referenced until that row has been stepped.
    private byte[] text = GC.AllocateUninitializedArray<byte>(4096, pinned: true);
    private IntPtr textPtr;
    private int used;
    private List<byte[]>? outgrown;

    public SqliteBatchStatement(SqliteConnection connection, string sql)
    {
        db = connection.Handle ?? throw new InvalidOperationException("the SQLite connection is not open");
        var rc = raw.sqlite3_prepare_v2(db, sql, out stmt);
        SqliteException.ThrowExceptionForRC(rc, db);
        var dbRef = false;
        var stmtRef = false;
        db.DangerousAddRef(ref dbRef);
        stmt.DangerousAddRef(ref stmtRef);
        dbReferenced = dbRef;
        stmtReferenced = stmtRef;
        dbPtr = db.DangerousGetHandle();
        stmtPtr = stmt.DangerousGetHandle();
        textPtr = Marshal.UnsafeAddrOfPinnedArrayElement(text, 0);
    }

    public void Bind(int ordinal, long value) => _ = BindInt64(stmtPtr, ordinal, value);

    public void Bind(int ordinal, long? value)
    {
        if (value is { } v)
        {
            _ = BindInt64(stmtPtr, ordinal, v);
        }
        else
        {
            _ = BindNull(stmtPtr, ordinal);
        }
    }

    public void Bind(int ordinal, string? value)
    {
        if (value is null)
        {
            _ = BindNull(stmtPtr, ordinal);
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > text.Length - used)
        {
            (outgrown ??= []).Add(text);
            text = GC.AllocateUninitializedArray<byte>(Math.Max(max, text.Length * 2), pinned: true);
            textPtr = Marshal.UnsafeAddrOfPinnedArrayElement(text, 0);
            used = 0;
        }

        var n = Encoding.UTF8.GetBytes(value, text.AsSpan(used));
        _ = BindText(stmtPtr, ordinal, textPtr + used, n, Static);
        used += n;
    }

    /// <summary>Runs the statement to completion and resets it for the next row; returns the rows it changed.</summary>
    public int Execute()
    {
        var rc = Step(stmtPtr);
        var changed = rc == raw.SQLITE_DONE ? Changes(dbPtr) : 0;
        _ = Reset(stmtPtr);
        used = 0;
        outgrown?.Clear();
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        return changed;
    }

    public void Dispose()
    {
        if (stmtReferenced)
        {
            stmt.DangerousRelease();
        }

        if (dbReferenced)
        {
            db.DangerousRelease();
        }

        stmt.Dispose();
    }

    // The library SQLitePCLRaw's provider binds ("e_sqlite3", resolved the same way from the app's native assets), so
    // these are the same SQLite instance and the pointers are its own.
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_bind_int64")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    private static extern int BindInt64(IntPtr stmt, int ordinal, long value);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_bind_null")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    private static extern int BindNull(IntPtr stmt, int ordinal);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_bind_text")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    private static extern int BindText(IntPtr stmt, int ordinal, IntPtr utf8, int bytes, IntPtr destructor);

    // Stepping does I/O (page reads, WAL writes): a normal transition, so the GC can run meanwhile.
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_step")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Step(IntPtr stmt);

    // Resetting a statement can end a statement journal: no suppressed transition either.
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_reset")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Reset(IntPtr stmt);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_changes")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    private static extern int Changes(IntPtr db);
}
