using System.Globalization;

namespace Basalt.Bench.Gateway;

/// <summary>
/// Resident memory of a server process and its children (nginx's workers), read from <c>/proc/PID/status</c>:
/// VmRSS now and VmHWM (the kernel's own peak of VmRSS over the process's life).
/// </summary>
internal static class ProcessMemory
{
    /// <summary>The process and its direct children (nginx master + workers; node and dotnet have none that serve).</summary>
    public static IReadOnlyList<int> Tree(int pid)
    {
        var pids = new List<int> { pid };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child) || child == pid)
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    pids.Add(child);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return pids;
    }

    /// <summary>Sum of VmRSS over <paramref name="pids"/>, in bytes (processes that ended count 0).</summary>
    public static long Rss(IReadOnlyList<int> pids) => pids.Sum(p => Read(p, "VmRSS:"));

    /// <summary>Sum of VmHWM over <paramref name="pids"/>, in bytes.</summary>
    public static long HighWaterMark(IReadOnlyList<int> pids) => pids.Sum(p => Read(p, "VmHWM:"));

    /// <summary>
    /// CPU time (user + system, all threads) used so far by <paramref name="pids"/>, from /proc/PID/stat fields 14
    /// and 15 in clock ticks (USER_HZ, 100 on Linux). Per-request CPU is steadier than requests/s on a shared machine:
    /// it does not depend on how much of the cores the process was given.
    /// </summary>
    public static TimeSpan CpuTime(IReadOnlyList<int> pids)
    {
        long ticks = 0;
        foreach (var pid in pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // After "pid (comm) ", field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>
    /// CPU time (user + system) used so far by the threads of <paramref name="pids"/>, summed by thread group: the
    /// thread's name (<c>/proc/PID/task/TID/comm</c>) when it starts with <c>Basalt</c> (the usage journal and the
    /// store writer), <c>thread pool</c> for .NET's pool workers, <c>other</c> for the rest. Threads that ended
    /// between two readings lose their time, so only long-lived groups are exact; the pool's count is a lower bound.
    /// </summary>
    public static Dictionary<string, TimeSpan> CpuTimeByThread(IReadOnlyList<int> pids)
    {
        var groups = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var pid in pids)
        {
            IEnumerable<string> tasks;
            try
            {
                tasks = Directory.GetDirectories($"/proc/{pid}/task");
            }
            catch (IOException)
            {
                continue;
            }

            foreach (var task in tasks)
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    var group = name.StartsWith("Basalt", StringComparison.Ordinal) ? name
                        : name.StartsWith(".NET TP Worker", StringComparison.Ordinal) ? "thread pool"
                        : "other";
                    groups[group] = groups.GetValueOrDefault(group) + TimeSpan.FromSeconds(ticks / 100.0);
                }
                catch (IOException)
                {
                }
            }
        }

        return groups;
    }

    private static long Read(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    // "VmRSS:	   12345 kB"
                    var kb = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }
}
