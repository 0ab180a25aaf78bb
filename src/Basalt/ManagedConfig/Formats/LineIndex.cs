namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Maps offsets in a buffer to 1-based line and column. Parsers such as <c>Utf8JsonReader</c> report byte
/// offsets; users and editors want <c>file:line:column</c>.
/// </summary>
internal sealed class LineIndex
{
    private readonly int[] _lineStarts;

    private LineIndex(int[] lineStarts)
    {
        _lineStarts = lineStarts;
    }

    public static LineIndex FromBytes(ReadOnlySpan<byte> bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return new LineIndex([.. starts]);
    }

    public (int Line, int Column) Locate(long offset)
    {
        var o = (int)Math.Clamp(offset, 0, int.MaxValue);
        var i = Array.BinarySearch(_lineStarts, o);
        if (i < 0)
        {
            i = ~i - 1;
        }

        return (i + 1, o - _lineStarts[i] + 1);
    }
}
