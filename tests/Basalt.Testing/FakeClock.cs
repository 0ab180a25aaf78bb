namespace Basalt.Testing;

/// <summary>
/// Moves a child process's wall clock forward with libfaketime (Debian <c>faketime</c>, LD_PRELOAD over libc's
/// clock_gettime, which .NET and NativeAOT binaries call for <c>DateTimeOffset.UtcNow</c>). A test that must show what
/// a process does "31 seconds later" runs it with this environment instead of sleeping: the credential helper's
/// token freshness test waited 2 × 31 s of real time (most of the gateway test project's wall time).
/// Only the one child's clock moves; every server the test runs keeps real time. The monotonic clock stays real so
/// timeouts inside the child behave.
/// </summary>
public static class FakeClock
{
    // Debian installs it per architecture (/usr/lib/<triplet>/faketime/); found once, not by walking /usr/lib per run.
    private static readonly Lazy<string> LibraryPath = new(() =>
        (Directory.Exists("/usr/lib") ? Directory.EnumerateDirectories("/usr/lib") : [])
            .Select(d => Path.Combine(d, "faketime", "libfaketime.so.1"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("libfaketime is not installed. Install it with: apt-get install -y faketime (scripts/test.sh does this)"));

    /// <summary>Environment variables that start the child's wall clock <paramref name="ahead"/> of real time.</summary>
    public static IReadOnlyDictionary<string, string?> Ahead(TimeSpan ahead) => new Dictionary<string, string?>
    {
        ["LD_PRELOAD"] = LibraryPath.Value,
        ["FAKETIME"] = $"+{(long)ahead.TotalSeconds}s",
        ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1",
        ["FAKETIME_NO_CACHE"] = "1",
    };
}
