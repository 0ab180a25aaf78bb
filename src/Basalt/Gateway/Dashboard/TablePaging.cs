namespace Basalt.Gateway.Dashboard;

/// <summary>
/// A list request's sort, order and page, and whether CSV was asked for: CSV exports every matching row (up to
/// <see cref="MaxCsvRows"/>), JSON one page of at most <see cref="MaxLimit"/>.
/// </summary>
internal sealed record TablePaging(string Sort, bool Descending, int Limit, int Offset, bool Csv)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;
    public const int MaxCsvRows = 100_000;

    /// <summary>Pages <paramref name="rows"/> already in memory (small lists: keys, budgets).</summary>
    public IReadOnlyList<T> Page<T>(IReadOnlyList<T> rows) => [.. rows.Skip(Offset).Take(Limit)];
}
