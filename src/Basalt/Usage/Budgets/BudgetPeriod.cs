namespace Basalt.Usage.Budgets;

/// <summary>Calendar period of a budget, in the budget's time zone: day, ISO week (from Monday) or month.</summary>
public enum BudgetPeriod
{
    Day,
    Week,
    Month,
}
