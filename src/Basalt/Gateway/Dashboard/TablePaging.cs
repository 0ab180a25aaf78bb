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

    /// <summary>Sorts rows held in memory (small lists: keys, budgets, limits) by the column named <see cref="Sort"/>, then pages them.</summary>
    public IReadOnlyList<object?[]> SortAndPage(List<object?[]> rows, IReadOnlyList<string> columns)
    {
        var column = columns.ToList().IndexOf(Sort);
        rows.Sort((a, b) => (Descending ? -1 : 1) * Compare(a[column], b[column]));
        return Page(rows);
    }

    /// <summary>Pages <paramref name="rows"/> already in memory.</summary>
    public IReadOnlyList<T> Page<T>(IReadOnlyList<T> rows) => [.. rows.Skip(Offset).Take(Limit)];

    /// <summary>Nulls first; text ordinal; times; lists by their joined text; numbers as decimals.</summary>
    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string x, string y) => string.CompareOrdinal(x, y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        (IEnumerable<string> x, IEnumerable<string> y) => string.CompareOrdinal(string.Join(',', x), string.Join(',', y)),
        _ => Convert.ToDecimal(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(b, System.Globalization.CultureInfo.InvariantCulture)),
    };
}
