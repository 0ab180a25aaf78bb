using Npgsql;

namespace Basalt.Testing;

/// <summary>
/// The real PostgreSQL the usage store tests run against (issue 10). scripts/test.sh starts one throwaway cluster
/// (scripts/pg-test-cluster.sh) and exports <c>BASALT_TEST_POSTGRES</c>; a developer running one test project
/// directly gets a cluster started here by the same script, stopped when the test process exits. When neither
/// works the test fails with the install command; it never skips. Each caller gets its own fresh database.
/// </summary>
public static class PostgresCluster
{
    private static readonly Lazy<string> Server = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int counter;

    /// <summary>Connection string of the cluster's maintenance database.</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>Creates a new empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref counter)}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    private static string StartOrFind()
    {
        var fromEnv = Environment.GetEnvironmentVariable("BASALT_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv;
        }

        var script = Path.Combine(RepoPaths.Root, "scripts", "pg-test-cluster.sh");
        StopOrphans(script);
        var dir = Path.Combine(Path.GetTempPath(), $"basalt-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32]);
        var start = ProcessRunner.RunAsync("bash", [script, "start", dir], timeout: TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();
        if (start.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"could not start a PostgreSQL test cluster ({start.Stderr.Trim()}). Install it with: apt-get install -y postgresql (scripts/install-test-deps.sh does this), or set BASALT_TEST_POSTGRES");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            ProcessRunner.RunAsync("bash", [script, "stop", dir], timeout: TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        return start.Stdout.Trim();
    }

    /// <summary>
    /// Stops clusters left by earlier test processes that are gone: the ProcessExit hook above does not always get to
    /// run (the test platform may end a test host before its exit handlers finish), and a left cluster keeps its
    /// postgres processes and shared memory until someone stops it. The owner's pid is in the directory name.
    /// </summary>
    private static void StopOrphans(string script)
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), "basalt-pg-*-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[2], out var owner) || owner == Environment.ProcessId || IsRunning(owner))
            {
                continue;
            }

            _ = ProcessRunner.RunAsync("bash", [script, "stop", dir], timeout: TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
