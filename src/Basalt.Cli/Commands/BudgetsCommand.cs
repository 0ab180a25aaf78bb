using System.CommandLine;
using System.Globalization;
using Basalt.Usage.Budgets;
using Basalt.Usage.Stores;
using Spectre.Console;

namespace Basalt.Cli.Commands;

/// <summary><c>basalt budgets list|set|reset|delete</c>: spend caps kept in the usage store, seen by every replica within seconds.</summary>
internal static class BudgetsCommand
{
    public static Command Create()
    {
        var command = new Command("budgets", "Spend caps per user, group, key or organization (USD and/or tokens per day, week or month).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Set());
        command.Subcommands.Add(Reset());
        command.Subcommands.Add(Delete());
        return command;
    }

    private static Command List()
    {
        var store = UsageConsole.StoreOption();
        var command = new Command("list", "Budgets with this period's use.");
        command.Options.Add(store);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            await using var s = await UsageConsole.OpenAsync(parse.GetValue(store), ct).ConfigureAwait(false);
            var table = new Table().AddColumns("id", "scope", "period", "limit", "used", "soft %", "time zone", "resets");
            var now = DateTimeOffset.UtcNow;
            foreach (var b in await s.ListBudgetsAsync(ct).ConfigureAwait(false))
            {
                var (start, end) = b.PeriodAt(now);
                if (b.ResetAt is { } r && r > start)
                {
                    start = r;
                }

                var used = b.ScopeValue == "*" && b.Scope != UsageDimension.Org ? null : await s.TotalsAsync(b.Scope, b.ScopeValue, start, now, ct).ConfigureAwait(false);
                var limit = string.Join(" / ", new[] { b.LimitUsd is { } u ? "$" + u.ToString("0.00##", CultureInfo.InvariantCulture) : null, b.LimitTokens is { } t ? $"{t} tokens" : null }.Where(x => x is not null));
                var usedText = used is null ? "(each)" : string.Join(" / ", new[] { b.LimitUsd is not null ? "$" + used.CostUsd.ToString("0.00##", CultureInfo.InvariantCulture) : null, b.LimitTokens is not null ? $"{used.TotalTokens} tokens" : null }.Where(x => x is not null));
                table.AddRow(Markup.Escape(b.Id), Markup.Escape($"{b.Scope.ToString().ToLowerInvariant()} {b.ScopeValue}"), b.Period.ToString().ToLowerInvariant(),
                    Markup.Escape(limit), Markup.Escape(usedText), b.SoftPercent.ToString(CultureInfo.InvariantCulture), Markup.Escape(b.TimeZone), end.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
            }

            UsageConsole.Ansi(console).Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Set()
    {
        var id = new Argument<string>("id") { Description = "Budget id, e.g. eng-monthly." };
        var scope = new Option<UsageDimension>("--scope") { Description = "user, group, key or org.", Required = true };
        var value = new Option<string>("--value") { Description = "The user id, group or key id; * for each one separately.", DefaultValueFactory = _ => "*" };
        var period = new Option<BudgetPeriod>("--period") { Description = "day, week or month.", Required = true };
        var usd = new Option<decimal?>("--usd") { Description = "Limit in US dollars." };
        var tokens = new Option<long?>("--tokens") { Description = "Limit in tokens (input + output + cache)." };
        var soft = new Option<int>("--soft-percent") { Description = "Warn (header + audit) at this percentage.", DefaultValueFactory = _ => 80 };
        var tz = new Option<string>("--time-zone") { Description = "IANA time zone of the calendar period.", DefaultValueFactory = _ => "UTC" };
        var store = UsageConsole.StoreOption();
        var command = new Command("set", "Create or change a budget.");
        command.Arguments.Add(id);
        foreach (var o in new Option[] { scope, value, period, usd, tokens, soft, tz, store })
        {
            command.Options.Add(o);
        }

        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            if (parse.GetValue(usd) is null && parse.GetValue(tokens) is null)
            {
                console.Error.WriteLine("error: give --usd, --tokens or both: a budget needs a limit.");
                return 1;
            }

            var zone = parse.GetValue(tz)!;
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                console.Error.WriteLine($"error: --time-zone '{zone}' is not a known time zone; use an IANA id such as Europe/Berlin or America/New_York.");
                return 1;
            }

            await using var s = await UsageConsole.OpenAsync(parse.GetValue(store), ct).ConfigureAwait(false);
            var budget = new BudgetDefinition
            {
                Id = parse.GetValue(id)!,
                Scope = parse.GetValue(scope),
                ScopeValue = parse.GetValue(value)!,
                Period = parse.GetValue(period),
                LimitUsd = parse.GetValue(usd),
                LimitTokens = parse.GetValue(tokens),
                SoftPercent = parse.GetValue(soft),
                TimeZone = zone,
            };
            await s.SetBudgetAsync(budget, ct).ConfigureAwait(false);
            console.Out.WriteLine($"budget {budget.Id} set");
            return 0;
        }));
        return command;
    }

    private static Command Reset()
    {
        var id = new Argument<string>("id");
        var store = UsageConsole.StoreOption();
        var command = new Command("reset", "Forgive this period's use so far (counting starts again now).");
        command.Arguments.Add(id);
        command.Options.Add(store);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            await using var s = await UsageConsole.OpenAsync(parse.GetValue(store), ct).ConfigureAwait(false);
            var name = parse.GetValue(id)!;
            var b = (await s.ListBudgetsAsync(ct).ConfigureAwait(false)).FirstOrDefault(x => x.Id == name);
            if (b is null)
            {
                console.Error.WriteLine($"error: no budget '{name}' in the store; see basalt budgets list.");
                return 1;
            }

            await s.SetBudgetAsync(b with { ResetAt = DateTimeOffset.UtcNow }, ct).ConfigureAwait(false);
            console.Out.WriteLine($"budget {name} reset");
            return 0;
        }));
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("id");
        var store = UsageConsole.StoreOption();
        var command = new Command("delete", "Remove a budget.");
        command.Arguments.Add(id);
        command.Options.Add(store);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            await using var s = await UsageConsole.OpenAsync(parse.GetValue(store), ct).ConfigureAwait(false);
            var name = parse.GetValue(id)!;
            if (!await s.DeleteBudgetAsync(name, ct).ConfigureAwait(false))
            {
                console.Error.WriteLine($"error: no budget '{name}' in the store; see basalt budgets list.");
                return 1;
            }

            console.Out.WriteLine($"budget {name} deleted");
            return 0;
        }));
        return command;
    }
}
