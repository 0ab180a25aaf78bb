namespace Basalt.Testing;

/// <summary>
/// The newest Claude Code from npm (<c>@anthropic-ai/claude-code</c>, pinned in tests/interop/package.json), run
/// non-interactively (<c>-p</c>) in a fresh HOME with an environment that holds no Anthropic, Claude, AWS or
/// OpenTelemetry setting of the machine running the tests — only what the test gives it.
/// </summary>
public static class ClaudeCode
{
    /// <summary>The native binary of the npm package (its postinstall may not have run: then the platform package's).</summary>
    public static string Binary()
    {
        var modules = Path.Combine(RepoPaths.Interop, "node_modules", "@anthropic-ai");
        foreach (var candidate in new[] { Path.Combine(modules, "claude-code-linux-x64", "claude"), Path.Combine(modules, "claude-code", "bin", "claude.exe") })
        {
            if (File.Exists(candidate) && new FileInfo(candidate).Length > 1_000_000)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{modules}/claude-code is missing. Run: npm ci --prefix tests/interop (scripts/test.sh does this)");
    }

    /// <summary>
    /// The test's environment with every inherited <c>ANTHROPIC_*</c>, <c>CLAUDE*</c>, <c>AWS_*</c> and <c>OTEL_*</c>
    /// variable removed, HOME set to <paramref name="home"/>, and no auto-updater or non-essential traffic.
    /// </summary>
    public static Dictionary<string, string?> Environment(string home)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (key.StartsWith("ANTHROPIC_", StringComparison.Ordinal) || key.StartsWith("CLAUDE", StringComparison.Ordinal)
                || key.StartsWith("AWS_", StringComparison.Ordinal) || key.StartsWith("OTEL_", StringComparison.Ordinal))
            {
                environment[key] = null;
            }
        }

        environment["HOME"] = home;
        environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        environment["DISABLE_AUTOUPDATER"] = "1";
        return environment;
    }

    /// <summary>Runs <c>claude -p PROMPT --output-format json</c> in <paramref name="home"/>.</summary>
    public static Task<ProcessResult> PrintAsync(string prompt, IReadOnlyDictionary<string, string?> environment, string home, TimeSpan? timeout = null)
        => ProcessRunner.RunAsync(Binary(), ["-p", prompt, "--output-format", "json"], environment: environment, workingDirectory: home, timeout: timeout ?? TimeSpan.FromMinutes(3));
}
