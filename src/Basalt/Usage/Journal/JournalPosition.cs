namespace Basalt.Usage.Journal;

/// <summary>A byte position in the journal: segment number and offset within it. Ordered.</summary>
internal readonly record struct JournalPosition(long Segment, long Offset) : IComparable<JournalPosition>
{
    public int CompareTo(JournalPosition other) =>
        Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);

    public static bool operator <(JournalPosition a, JournalPosition b) => a.CompareTo(b) < 0;
    public static bool operator >(JournalPosition a, JournalPosition b) => a.CompareTo(b) > 0;
    public static bool operator <=(JournalPosition a, JournalPosition b) => a.CompareTo(b) <= 0;
    public static bool operator >=(JournalPosition a, JournalPosition b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Segment}:{Offset}";
}
