namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Items in first-seen order where a repeated key replaces the earlier item (the last one wins, as in every
/// format here), in O(1) per add: a 10 MiB file can hold hundreds of thousands of keys.
/// </summary>
internal sealed class LastWinsList<T>(IEqualityComparer<string> comparer)
    where T : class
{
    private readonly List<T?> _items = [];
    private readonly Dictionary<string, int> _index = new(comparer);

    public LastWinsList()
        : this(StringComparer.Ordinal)
    {
    }

    /// <summary>Adds <paramref name="item"/>; returns the item it replaced, if any.</summary>
    public T? Add(string key, T item)
    {
        T? previous = null;
        if (_index.TryGetValue(key, out var at))
        {
            previous = _items[at];
            _items[at] = null;
        }

        _index[key] = _items.Count;
        _items.Add(item);
        return previous;
    }

    public bool Remove(string key)
    {
        if (!_index.Remove(key, out var at))
        {
            return false;
        }

        _items[at] = null;
        return true;
    }

    public List<T> ToList()
    {
        var list = new List<T>(_index.Count);
        foreach (var item in _items)
        {
            if (item is not null)
            {
                list.Add(item);
            }
        }

        return list;
    }
}
