using Basalt.Usage.Stores;

namespace Basalt.Usage.Budgets;

/// <summary>
/// A spend cap (issue 10 item 5): for one <see cref="Scope"/> value (a user id, group, key id; <c>*</c> = each
/// user/group/key separately; ignored for Org), per calendar <see cref="Period"/> in <see cref="TimeZone"/>
/// (IANA id), in USD and/or tokens. At <see cref="SoftPercent"/> of a limit a warning header and an audit event
/// are emitted; at the limit requests are refused with 429. <see cref="ResetAt"/> forgives usage before it in the
/// current period (<c>basalt budgets reset</c>).
/// </summary>
public sealed record BudgetDefinition
{
    public required string Id { get; init; }
    public required UsageDimension Scope { get; init; }
    public string ScopeValue { get; init; } = "*";
    public required BudgetPeriod Period { get; init; }
    public decimal? LimitUsd { get; init; }
    public long? LimitTokens { get; init; }
    public int SoftPercent { get; init; } = 80;
    public string TimeZone { get; init; } = "UTC";
    public DateTimeOffset? ResetAt { get; init; }

    /// <summary>Does this budget count <paramref name="value"/> of its scope (a user id, one of the groups, the key id)?</summary>
    public bool AppliesTo(string value) => Scope == UsageDimension.Org || ScopeValue == "*" || string.Equals(ScopeValue, value, StringComparison.Ordinal);

    /// <summary>Start of the calendar period containing <paramref name="now"/>, in the budget's time zone, and the next one.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) PeriodAt(DateTimeOffset now)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTime(now, tz).DateTime;
        var startLocal = Period switch
        {
            BudgetPeriod.Day => local.Date,
            BudgetPeriod.Week => local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
            _ => new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified),
        };
        var endLocal = Period switch
        {
            BudgetPeriod.Day => startLocal.AddDays(1),
            BudgetPeriod.Week => startLocal.AddDays(7),
            _ => startLocal.AddMonths(1),
        };
        return (ToUtc(startLocal, tz), ToUtc(endLocal, tz));
    }

    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo tz)
    {
        // Midnight may not exist (a DST jump at 00:00): the period then starts at the first valid instant after.
        while (tz.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
    }
}
