using System.Text.Json.Nodes;
using Basalt.Testing;

namespace Basalt.Tests.ManagedConfig.Formats;

/// <summary>The independent parsers the format tests prove Basalt's output against (installed by scripts/test.sh).</summary>
internal static class FormatTools
{
    public static string Script(string name) => Path.Combine(RepoPaths.Interop, "formats", name);

    public static async Task<string> RunAsync(string tool, string installHint, params string[] args)
    {
        var exe = ExternalTools.Require(tool, installHint);
        var result = await ProcessRunner.RunAsync(exe, args, timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed:\n{result}");
        return result.Stdout;
    }

    public static Task<string> PythonAsync(string script, params string[] args)
        => RunAsync(ExternalTools.Python(), "apt-get install -y python3", [Script(script), .. args]);

    /// <summary>plistlib's reading of each file, in order (one Python process for all of them).</summary>
    public static async Task<IReadOnlyList<JsonNode>> PlistDumpAsync(IReadOnlyList<string> files)
    {
        var lines = (await PythonAsync("plist_dump.py", [.. files])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(files.Count, lines.Length);
        return [.. lines.Select(l => JsonNode.Parse(l)!)];
    }

    public static async Task<ProcessResult> PythonRawAsync(string script, string? stdin, params string[] args)
        => await ProcessRunner.RunAsync(ExternalTools.Python(), [Script(script), .. args], stdin, timeout: TimeSpan.FromMinutes(1));

    public static void RequireHivex()
    {
        ExternalTools.Require("hivexregedit", "apt-get install -y libwin-hivex-perl");
        ExternalTools.Require("hivexml", "apt-get install -y libhivex-bin");
        ExternalTools.Require("iconv", "apt-get install -y libc-bin");
    }
}
