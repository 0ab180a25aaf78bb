using System.Globalization;
using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage;

public sealed class UsageRequestIdTests
{
    [Fact]
    public void Ids_sort_by_their_millisecond_as_text_and_carry_it_in_the_first_twelve_hex_digits()
    {
        long[] times = [0, 1, 255, 256, 1_700_000_000_000, 1_796_000_000_001, (1L << 48) - 1];
        var ids = times.Select(UsageRequestId.New).ToList();
        Assert.All(ids, id => Assert.Matches("^req_bsl[0-9a-f]{28}$", id));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(times, ids.Select(id => long.Parse(id.AsSpan(7, 12), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Ids_of_the_same_millisecond_differ_in_their_random_tail()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => UsageRequestId.New(1_796_000_000_000)).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.StartsWith("req_bsl" + 1_796_000_000_000L.ToString("x12", CultureInfo.InvariantCulture), id, StringComparison.Ordinal));
    }
}
