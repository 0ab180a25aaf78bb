namespace Basalt.Testing;

/// <summary>
/// Runs the real <c>basalt</c> command as a separate process (<c>dotnet Basalt.Cli.dll ...</c>), the way a user does,
/// so tests see the true exit code, stdout and stderr. Works from any test project that references Basalt.Cli.
/// </summary>
public static class CliRunner
{
    public static string BasaltDll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Basalt.Cli.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"Basalt.Cli.dll not found next to the tests ({path}); reference src/Basalt.Cli from this test project");
        }
    }

    public static Task<ProcessResult> RunAsync(IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["DOTNET_NOLOGO"] = "1",
            ["NO_COLOR"] = "1",
            ["COLUMNS"] = "200",
        };
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                env[k] = v;
            }
        }

        return ProcessRunner.RunAsync("dotnet", [BasaltDll, .. args], stdin, env, workingDirectory, timeout);
    }
}
