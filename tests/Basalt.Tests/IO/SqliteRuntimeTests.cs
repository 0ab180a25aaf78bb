using System.Runtime.InteropServices;
using Basalt.IO;
using Basalt.Testing;
using Basalt.Usage.Stores;
using Microsoft.Data.Sqlite;

namespace Basalt.Tests.IO;

public sealed class SqliteRuntimeTests
{
    /// <summary>
    /// Multi-thread mode is what drops SQLite's per-call connection mutex (SqliteRuntime says why); a connection opened
    /// in serialized mode has one. Every SQLite user in Basalt (and every test here that opens a connection directly)
    /// goes through <see cref="SqliteRuntime.EnsureInitialized"/> first, so SQLite is configured before its first use.
    /// </summary>
    [Fact]
    public async Task Connections_opened_after_initialisation_run_in_multi_thread_mode_without_a_connection_mutex()
    {
        using var dir = new TempDirectory();
        await using var store = await UsageStoreFactory.OpenAndMigrateAsync("sqlite", dir.Combine("usage.db"), CancellationToken.None);
        Assert.True(SqliteRuntime.MultiThread);

        await using var connection = new SqliteConnection($"Data Source={dir.Combine("usage.db")}");
        await connection.OpenAsync();
        Assert.Equal(IntPtr.Zero, DbMutex(connection.Handle!.DangerousGetHandle()));
    }

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_db_mutex")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr DbMutex(IntPtr db);
}
