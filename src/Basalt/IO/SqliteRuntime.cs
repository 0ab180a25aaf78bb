using SQLitePCL;

namespace Basalt.IO;

/// <summary>
/// The process's one SQLite initialisation, shared by every SQLite user (usage store, identity database, prompt
/// archive): the settings below are process-wide and take effect only before SQLite's first use, so whichever opens
/// a database first must have applied them.
/// <para>
/// Multi-thread mode (<c>SQLITE_CONFIG_MULTITHREAD</c>): the bundled e_sqlite3 is built serialized
/// (<c>THREADSAFE=1</c>), which takes and releases a connection mutex on every API call; in the usage ingest profile
/// (perf, 2026-12-07 17:15, dense 400 k) <c>pthread_mutex_lock</c> + <c>unlock</c> were 6.8% of the process. Multi-thread
/// mode drops the per-connection and per-statement mutexes and keeps SQLite's global ones; it is safe because no
/// <c>SqliteConnection</c> here is shared by two threads at once (every caller opens its own from the pool, and
/// Microsoft.Data.Sqlite connections are not thread-safe anyway), and no statement is left for the finalizer thread
/// to finalize while its connection is in use elsewhere: every command, reader and <c>SqliteBatchStatement</c> is
/// disposed (<c>using</c>) on the thread that uses its connection, and a connection going back to the pool disposes
/// the statements of the commands it still tracks. Keep it so: a command left undisposed is a data race in this mode,
/// not merely a leak. Memory statistics (<c>SQLITE_CONFIG_MEMSTATUS</c>)
/// are off: nothing reads them, and with them on every allocation takes a global mutex.
/// </para>
/// </summary>
internal static class SqliteRuntime
{
    private static readonly object Lock = new();
    private static bool initialized;

    /// <summary>True when multi-thread mode took effect (false if SQLite was already in use before the first call).</summary>
    public static bool MultiThread { get; private set; }

    public static void EnsureInitialized()
    {
        lock (Lock)
        {
            if (initialized)
            {
                return;
            }

            Batteries_V2.Init();

            // SQLITE_MISUSE if something initialised SQLite first: then it stays serialized, slower but correct.
            MultiThread = raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD) == raw.SQLITE_OK;
            _ = raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
            initialized = true;
        }
    }
}
