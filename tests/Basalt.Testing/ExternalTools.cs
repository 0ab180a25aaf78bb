namespace Basalt.Testing;

/// <summary>
/// Finds the real third-party peers the tests prove compatibility with. A missing tool fails the test with
/// the install command (scripts/test.sh installs all of them); it never silently skips.
/// </summary>
public static class ExternalTools
{
    public static string Require(string name, string installHint)
    {
        var found = Find(name);
        return found ?? throw new InvalidOperationException($"'{name}' is not installed. Install it with: {installHint} (scripts/test.sh does this)");
    }

    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The AWS CLI v2 from Debian's <c>awscli</c> package. An older v1 <c>aws</c> (pip) may come first on PATH,
    /// so this looks at /usr/bin/aws and checks the version.
    /// </summary>
    public static string AwsCliV2()
    {
        var path = Environment.GetEnvironmentVariable("BASALT_AWS_CLI_V2") ?? "/usr/bin/aws";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException("AWS CLI v2 not found at /usr/bin/aws. Install it with: apt-get install -y awscli (scripts/test.sh does this)");
        }

        return path;
    }

    public static string Node() => Require("node", "apt-get install -y nodejs npm");

    /// <summary>
    /// The published NativeAOT <c>basalt-credential</c> (<c>BASALT_CREDENTIAL_HELPER</c>, set by scripts/test.sh); a missing
    /// build fails the test with the command that makes it.
    /// </summary>
    public static string CredentialHelper()
    {
        var path = Environment.GetEnvironmentVariable("BASALT_CREDENTIAL_HELPER");
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                "The NativeAOT basalt-credential binary is missing (BASALT_CREDENTIAL_HELPER is unset or wrong). Build it with: " +
                "dotnet publish src/Basalt.CredentialHelper -c Release -r linux-x64 -o artifacts/native && export BASALT_CREDENTIAL_HELPER=$PWD/artifacts/native/basalt-credential (scripts/test.sh does this)");
        }

        return path;
    }

    public static string Python() => Require("python3", "apt-get install -y python3");

    /// <summary>Runs <c>node tests/interop/{script}</c> with node_modules from tests/interop.</summary>
    public static Task<ProcessResult> RunNodeAsync(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? stdin = null, TimeSpan? timeout = null)
    {
        var modules = Path.Combine(RepoPaths.Interop, "node_modules");
        if (!Directory.Exists(modules))
        {
            throw new InvalidOperationException($"{modules} is missing. Run: npm ci --prefix tests/interop (scripts/test.sh does this)");
        }

        return ProcessRunner.RunAsync(Node(), [Path.Combine(RepoPaths.Interop, script), .. args], stdin, environment, RepoPaths.Interop, timeout);
    }
}
