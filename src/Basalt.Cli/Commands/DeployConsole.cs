using Basalt.Diagnostics;

namespace Basalt.Cli.Commands;

/// <summary>
/// How deploy commands talk to the terminal: results on stdout, diagnostics on stderr (one line each, with
/// file:line:column, code, key path, message and fix), never a stack trace and never a secret value.
/// </summary>
internal static class DeployConsole
{
    public static void WriteDiagnostics(CliConsole console, IEnumerable<Diagnostic> diagnostics)
    {
        // Info findings are in out/report.txt; the terminal gets what needs attention.
        foreach (var d in diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info))
        {
            console.Error.WriteLine(d.ToString());
        }
    }

    public static int Fail(CliConsole console, IReadOnlyList<Diagnostic> diagnostics)
    {
        WriteDiagnostics(console, diagnostics);
        var errors = diagnostics.Count(d => d.IsError);
        console.Error.WriteLine(errors == 1 ? "1 error; nothing was written." : $"{errors} errors; nothing was written.");
        return 1;
    }

    /// <summary>Runs a command body, turning an unexpected exception into one line on stderr and exit code 1.</summary>
    public static async Task<int> GuardAsync(CliConsole console, Func<CliConsole, Task<int>> body)
    {
        try
        {
            return await body(console).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine("cancelled; nothing was written.");
            return 1;
        }
#pragma warning disable CA1031 // The CLI boundary: users get one line, not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            console.Error.WriteLine($"error: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }
}
