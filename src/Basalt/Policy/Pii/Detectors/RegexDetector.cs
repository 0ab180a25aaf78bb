using System.Text.RegularExpressions;

namespace Basalt.Policy.Pii.Detectors;

/// <summary>
/// A detector that is one pattern plus an optional check on what it matched (checksum, shape). When the pattern has
/// a group named <c>v</c>, only that group is the finding (the key name before a secret stays readable).
/// </summary>
internal class RegexDetector : PiiDetector
{
    private readonly Regex _pattern;
    private readonly Func<string, bool>? _accept;
    private readonly string _rule;

    public RegexDetector(PiiCategory category, Regex pattern, Func<string, bool>? accept = null, string? rule = null)
    {
        Category = category;
        _pattern = pattern;
        _accept = accept;
        _rule = rule ?? category.ToString();
    }

    public override PiiCategory Category { get; }

    public override string Rule => _rule;

    public override void Find(string text, List<PiiMatch> matches)
    {
        for (var m = _pattern.Match(text); m.Success; m = m.NextMatch())
        {
            var value = m.Groups["v"] is { Success: true } v ? v : (Group)m;
            if (_accept is null || _accept(value.Value))
            {
                matches.Add(new PiiMatch(Category, value.Index, value.Length, _rule));
            }
        }
    }
}
