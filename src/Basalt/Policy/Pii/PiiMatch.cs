namespace Basalt.Policy.Pii;

/// <summary>One finding: where in the scanned text, of which category, by which rule (for custom patterns, its name).</summary>
public readonly record struct PiiMatch(PiiCategory Category, int Start, int Length, string Rule)
{
    public int End => Start + Length;
}
