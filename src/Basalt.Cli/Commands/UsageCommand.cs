using System.CommandLine;
using Basalt.Bedrock.Models;
using Basalt.Usage.Pricing;
using Basalt.Usage.Reports;
using Basalt.Usage.Stores;

namespace Basalt.Cli.Commands;

/// <summary><c>basalt usage report|top|migrate</c>: who used how much, from the rollups (issue 10 item 7).</summary>
internal static class UsageCommand
{
    public static Command Create()
    {
        var command = new Command("usage", "Usage reports from the gateway's usage store (SQLite or PostgreSQL).");
        command.Subcommands.Add(Report());
        command.Subcommands.Add(Top());
        command.Subcommands.Add(Migrate());
        return command;
    }

    private static Command Report()
    {
        var by = new Option<ReportBy>("--by") { Description = "Group rows by user, group, model, key, day, or routing (what group routing served instead of what was asked, and what it saved at list prices).", DefaultValueFactory = _ => ReportBy.User };
        var from = new Option<string?>("--from") { Description = "Start (inclusive), e.g. 2026-12-01 (UTC). Default: the first of this month." };
        var to = new Option<string?>("--to") { Description = "End (exclusive). Default: the end of the current hour (reports have hour resolution), so the latest requests are included." };
        var format = new Option<UsageReportFormat>("--format") { Description = "table, csv or json.", DefaultValueFactory = _ => UsageReportFormat.Table };
        var filter = new Option<string?>("--filter") { Description = "Only this user/group/model/key." };
        var limit = new Option<int>("--limit") { Description = "At most this many rows (by cost).", DefaultValueFactory = _ => 1000 };
        var offset = new Option<int>("--offset") { Description = "Skip this many rows (paging).", DefaultValueFactory = _ => 0 };
        var store = UsageConsole.StoreOption();
        var command = new Command("report", "Usage and cost per user, group, model, key, day or routing over a time range (hour resolution).");
        foreach (var o in new Option[] { by, from, to, format, filter, limit, offset, store })
        {
            command.Options.Add(o);
        }

        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var now = DateTimeOffset.UtcNow;
            var query = new UsageReportQuery(
                parse.GetValue(by),
                UsageConsole.ParseTime(parse.GetValue(from), UsageReportQuery.MonthStart(now), "--from"),
                UsageConsole.ParseTime(parse.GetValue(to), UsageReportQuery.EndOfHour(now), "--to"),
                parse.GetValue(filter),
                parse.GetValue(limit),
                parse.GetValue(offset));
            await using var s = await UsageConsole.OpenAsync(parse.GetValue(store), ct).ConfigureAwait(false);
            var rows = await s.ReportAsync(query, ct).ConfigureAwait(false);
            if (query.By == ReportBy.Routing)
            {
                // List prices from the model catalogue: what the same tokens would have cost on each baseline model.
                rows = RoutingSavings.Price(rows, UsagePricer.FromCatalogue(ModelCatalogue.Default));
            }

            Write(console, parse.GetValue(format), $"Usage by {query.By.ToString().ToLowerInvariant()}, {query.From:yyyy-MM-dd HH:mm} to {query.To:yyyy-MM-dd HH:mm} UTC", rows, query);
            return 0;
        }));
        return command;
    }

    private static Command Top()
    {
        var by = new Option<ReportBy>("--by") { Description = "user, group, model or key.", DefaultValueFactory = _ => ReportBy.User };
        var count = new Option<int>("-n") { Description = "How many.", DefaultValueFactory = _ => 10 };
        var format = new Option<UsageReportFormat>("--format") { DefaultValueFactory = _ => UsageReportFormat.Table };
        var store = UsageConsole.StoreOption();
        var command = new Command("top", "The biggest spenders this month so far.");
        foreach (var o in new Option[] { by, count, format, store })
        {
            command.Options.Add(o);
        }

        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var now = DateTimeOffset.UtcNow;
            var query = new UsageReportQuery(parse.GetValue(by), UsageReportQuery.MonthStart(now), UsageReportQuery.EndOfHour(now), Limit: parse.GetValue(count));
            await using var s = await UsageConsole.OpenAsync(parse.GetValue(store), ct).ConfigureAwait(false);
            var rows = await s.ReportAsync(query, ct).ConfigureAwait(false);
            Write(console, parse.GetValue(format), $"Top {query.Limit} by cost, month to date", rows, query);
            return 0;
        }));
        return command;
    }

    private static Command Migrate()
    {
        var store = UsageConsole.StoreOption();
        var command = new Command("migrate", "Create or upgrade the usage store's schema (the gateway also does this at start).");
        command.Options.Add(store);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var location = UsageStoreLocation.Parse(parse.GetValue(store) ?? Environment.GetEnvironmentVariable(UsageStoreLocation.EnvironmentVariable) ?? "sqlite:usage.db");
            await using var s = UsageStoreFactory.Open(location.Kind, location.Target);
            var version = await s.MigrateAsync(ct).ConfigureAwait(false);
            console.Out.WriteLine($"usage store {location} is at schema version {version}");
            return 0;
        }));
        return command;
    }

    private static void Write(CliConsole console, UsageReportFormat format, string title, IReadOnlyList<UsageReportRow> rows, UsageReportQuery query)
    {
        switch (format)
        {
            case UsageReportFormat.Csv:
                console.Out.Write(UsageReportWriter.Csv(rows));
                break;
            case UsageReportFormat.Json:
                console.Out.Write(UsageReportWriter.Json(rows, query));
                break;
            default:
                UsageConsole.WriteTable(console, title, rows);
                break;
        }
    }
}
