using System.CommandLine;
using System.Globalization;
using Basalt.Usage.Reports;
using Basalt.Usage.Stores;
using Spectre.Console;

namespace Basalt.Cli.Commands;

/// <summary>What the <c>usage</c> and <c>budgets</c> commands share: the store option and table output.</summary>
internal static class UsageConsole
{
    public static Option<string?> StoreOption() => new("--store")
    {
        Description = $"The usage store: sqlite:PATH or postgresql:CONNECTION-STRING (default: ${UsageStoreLocation.EnvironmentVariable}, else sqlite:usage.db). Prefer the environment variable for a connection string with a password.",
    };

    public static async Task<IUsageStore> OpenAsync(string? store, CancellationToken cancellationToken)
    {
        var text = store ?? Environment.GetEnvironmentVariable(UsageStoreLocation.EnvironmentVariable) ?? "sqlite:usage.db";
        var location = UsageStoreLocation.Parse(text);
        if (location.Kind == "sqlite" && !File.Exists(location.Target))
        {
            throw new FileNotFoundException($"usage store {location} does not exist. Point --store (or ${UsageStoreLocation.EnvironmentVariable}) at the gateway's usage database.");
        }

        return await UsageStoreFactory.OpenAndMigrateAsync(location.Kind, location.Target, cancellationToken).ConfigureAwait(false);
    }

    public static DateTimeOffset ParseTime(string? text, DateTimeOffset fallback, string option)
    {
        if (text is null)
        {
            return fallback;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new ArgumentException($"{option} '{text}' is not a date or time; expected e.g. 2026-12-01 or 2026-12-01T09:00:00Z (UTC unless an offset is given)");
    }

    /// <summary>Spectre output on this invocation's writer (captured in tests), no colours when redirected.</summary>
    public static IAnsiConsole Ansi(CliConsole console)
    {
        var terminal = ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected;
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console.Out),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            // Redirected (a file, a pipe, a test): no terminal width to fit, so do not wrap cells.
            ansi.Profile.Width = 240;
        }

        return ansi;
    }

    public static void WriteTable(CliConsole console, string title, IReadOnlyList<UsageReportRow> rows)
    {
        var table = new Table().Title(Markup.Escape(title));
        foreach (var c in UsageReportWriter.ColumnsFor(rows))
        {
            table.AddColumn(new TableColumn(c) { Alignment = c == "key" ? Justify.Left : Justify.Right });
        }

        foreach (var row in rows)
        {
            table.AddRow(UsageReportWriter.Cells(row).Select(Markup.Escape).ToArray());
        }

        var ansi = Ansi(console);
        ansi.Write(table);
        if (UsageReportWriter.RoutingSaved(rows) is { } saved)
        {
            ansi.MarkupLine(Markup.Escape(FormattableString.Invariant($"routing saved ${saved:0.00} at list prices (the same tokens priced at each baseline model; negative rows sent work to a dearer model)")));
        }

        if (UsageReportWriter.PricingNote(rows) is { } note)
        {
            ansi.MarkupLine("[yellow]note:[/] " + Markup.Escape(note));
        }
    }
}
