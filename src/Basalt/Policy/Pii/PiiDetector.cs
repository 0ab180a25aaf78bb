namespace Basalt.Policy.Pii;

/// <summary>
/// One detector. Structured detectors (cards, IBAN, keys) pair a cheap pattern with a checksum or a fixed shape so
/// near misses are not reported; all patterns are linear-time (no nested quantifiers, or
/// <see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/> for patterns from configuration), so a
/// hostile prompt cannot make a scan slow.
/// </summary>
public abstract class PiiDetector
{
    public abstract PiiCategory Category { get; }

    /// <summary>The rule name reported in audit events (for custom patterns, the name the configuration gives).</summary>
    public virtual string Rule => Category.ToString();

    /// <summary>Adds every finding in <paramref name="text"/> to <paramref name="matches"/>.</summary>
    public abstract void Find(string text, List<PiiMatch> matches);
}
