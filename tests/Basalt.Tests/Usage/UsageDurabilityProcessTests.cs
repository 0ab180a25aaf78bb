using System.Diagnostics;
using System.Runtime.InteropServices;
using Basalt.Testing;
using Basalt.Usage.Journal;
using Basalt.Usage.Pricing;
using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage;

/// <summary>
/// Issue 10 "done when": a real process records usage under load; after <c>kill -9</c> and a restart every
/// acknowledged request is in the store once and none twice; a graceful stop (SIGTERM) loses nothing.
/// Runs against PostgreSQL (the replica store) and SQLite alike.
/// </summary>
public sealed class UsageDurabilityProcessTests
{
    public static TheoryData<string> Kinds => new() { "sqlite", "postgresql" };

    /// <summary>Store kinds, each with the journal synced per group commit (0) and with the gateway's default 1 s sync interval (appends written by the request's thread).</summary>
    public static TheoryData<string, int> KindsAndSyncIntervals => new() { { "sqlite", 0 }, { "postgresql", 0 }, { "sqlite", 1000 }, { "postgresql", 1000 } };

    [Theory]
    [MemberData(nameof(KindsAndSyncIntervals))]
    public async Task After_kill_9_during_load_and_a_restart_every_acknowledged_request_is_stored_exactly_once(string kind, int syncIntervalMs)
    {
        using var temp = new TempDirectory("usage-kill");
        var target = kind == "sqlite" ? temp.Combine("usage.db") : await PostgresCluster.CreateDatabaseAsync("kill");
        var journal = temp.Combine("journal");
        var acked = await RunHostAsync(journal, kind, target, "k", stopAfterAcks: 3000, graceful: false, syncIntervalMs);

        await using var store = await UsageStoreFactory.OpenAndMigrateAsync(kind, target, CancellationToken.None);
        var sink = DurableUsageSink.Open(journal, store, UsagePricer.WithoutCatalogue());
        await sink.FlushAsync(CancellationToken.None);
        await sink.DisposeAsync();

        var stored = (await store.RecentAsync(false, 1_000_000, CancellationToken.None)).Select(r => r.RequestId).ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        var missing = acked.Except(stored).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged requests lost after kill -9, e.g. {string.Join(", ", missing.Take(5))}");
        // Rollups count each stored record once (a replay must not add twice).
        var totals = await store.TotalsAsync(UsageDimension.User, "durable-user", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        Assert.Equal(stored.Count, totals.Requests);
        Assert.Equal(stored.Count * 100L, totals.InputTokens);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_graceful_stop_during_load_flushes_every_acknowledged_request_into_the_store(string kind)
    {
        using var temp = new TempDirectory("usage-term");
        var target = kind == "sqlite" ? temp.Combine("usage.db") : await PostgresCluster.CreateDatabaseAsync("term");
        var acked = await RunHostAsync(temp.Combine("journal"), kind, target, "g", stopAfterAcks: 2000, graceful: true);

        // No restart, no replay: the store alone must hold everything.
        await using var store = await UsageStoreFactory.OpenAndMigrateAsync(kind, target, CancellationToken.None);
        var stored = (await store.RecentAsync(false, 1_000_000, CancellationToken.None)).Select(r => r.RequestId).ToHashSet();
        Assert.DoesNotContain(acked, a => !stored.Contains(a));
    }

    private static async Task<List<string>> RunHostAsync(string journal, string kind, string target, string prefix, int stopAfterAcks, bool graceful, int syncIntervalMs = 0)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { HostDll(), journal, kind, target, prefix, syncIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var acked = new List<string>();
        var stderr = process.StandardError.ReadToEndAsync();
        var stopped = false;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    acked.Add(line[4..]);
                }

                if (acked.Count == stopAfterAcks && !stopped)
                {
                    stopped = true;
                    if (graceful)
                    {
                        Assert.Equal(0, Kill(process.Id, 15));
                    }
                    else
                    {
                        process.Kill();
                    }
                }
            }

            await process.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.True(stopped, $"the host stopped before {stopAfterAcks} acknowledgements: {await stderr}");
        if (graceful)
        {
            Assert.True(process.ExitCode == 0, $"graceful stop exited {process.ExitCode}: {await stderr}");
        }

        return acked;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static string HostDll()
    {
        // Built by the solution next to this test assembly: artifacts/bin/<project>/<configuration>/.
        var configurationDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var host = Path.Combine(configurationDir.Parent!.Parent!.FullName, "Basalt.UsageTestHost", configurationDir.Name, "Basalt.UsageTestHost.dll");
        return File.Exists(host) ? host : throw new FileNotFoundException($"{host} is missing; build the solution (dotnet build Basalt.sln -c Release)");
    }
}
