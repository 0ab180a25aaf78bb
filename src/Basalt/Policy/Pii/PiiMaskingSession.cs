using System.Text;

namespace Basalt.Policy.Pii;

/// <summary>
/// One request's masking (issue 12 item 2): the same value gets the same placeholder everywhere in the request
/// (<c>[EMAIL_1]</c>, <c>[CARD_2]</c>), so the model can still refer to it and the answer can be restored. Counts
/// by category feed the audit event; values are never kept anywhere but in this object, which dies with the request.
/// </summary>
public sealed class PiiMaskingSession
{
    private readonly PiiPolicy _policy;
    private readonly PiiScanner _scanner;
    private readonly Dictionary<string, string> _placeholderByValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _valueByPlaceholder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _findings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PiiAction> _customActions;

    public PiiMaskingSession(PiiPolicy policy, PiiScanner scanner)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        _customActions = policy.CustomPatterns.ToDictionary(p => p.Name, p => p.Action, StringComparer.Ordinal);
    }

    /// <summary>The rule that made the request refused (first one found), or null.</summary>
    public string? BlockedBy { get; private set; }

    /// <summary>Findings so far by rule (category name, or a custom pattern's name): for audit, never values.</summary>
    public IReadOnlyDictionary<string, int> Findings => _findings;

    /// <summary>Longest placeholder issued: the look-behind the streaming restorer needs.</summary>
    public int LongestPlaceholder { get; private set; }

    /// <summary>Masks what the policy says to mask; returns the same instance when nothing changed.</summary>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = _scanner.Scan(text);
        if (matches.Count == 0)
        {
            return text;
        }

        StringBuilder? masked = null;
        var copied = 0;
        foreach (var match in matches)
        {
            _findings[match.Rule] = _findings.GetValueOrDefault(match.Rule) + 1;
            var action = match.Category == PiiCategory.Custom ? _customActions[match.Rule] : _policy.Actions[match.Category];
            if (action == PiiAction.Block)
            {
                BlockedBy ??= match.Rule;
                continue;
            }

            if (action != PiiAction.Mask)
            {
                continue;
            }

            masked ??= new StringBuilder(text.Length);
            masked.Append(text, copied, match.Start - copied);
            masked.Append(PlaceholderFor(match, text.Substring(match.Start, match.Length)));
            copied = match.End;
        }

        if (masked is null)
        {
            return text;
        }

        masked.Append(text, copied, text.Length - copied);
        return masked.ToString();
    }

    /// <summary>Puts the original values back for every placeholder this request issued.</summary>
    public string Restore(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_valueByPlaceholder.Count == 0 || !text.Contains('[', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('[', i);
            if (open < 0)
            {
                break;
            }

            var close = text.IndexOf(']', open + 1);
            if (close < 0 || close - open + 1 > LongestPlaceholder)
            {
                result.Append(text, i, open + 1 - i);
                i = open + 1;
                continue;
            }

            var candidate = text.Substring(open, close - open + 1);
            result.Append(text, i, open - i);
            result.Append(_valueByPlaceholder.TryGetValue(candidate, out var original) ? original : candidate);
            i = close + 1;
        }

        result.Append(text, i, text.Length - i);
        return result.ToString();
    }

    private string PlaceholderFor(PiiMatch match, string value)
    {
        if (_placeholderByValue.TryGetValue(value, out var existing))
        {
            return existing;
        }

        var token = Token(match);
        var n = _counters.GetValueOrDefault(token) + 1;
        _counters[token] = n;
        var placeholder = $"[{token}_{n}]";
        _placeholderByValue[value] = placeholder;
        _valueByPlaceholder[placeholder] = value;
        LongestPlaceholder = Math.Max(LongestPlaceholder, placeholder.Length);
        return placeholder;
    }

    /// <summary>The word in a placeholder: what the model reads, so it says what kind of value stood there.</summary>
    internal static string Token(PiiMatch match) => match.Category switch
    {
        PiiCategory.Email => "EMAIL",
        PiiCategory.Phone => "PHONE",
        PiiCategory.PaymentCard => "CARD",
        PiiCategory.Iban => "IBAN",
        PiiCategory.NationalId => "NATIONAL_ID",
        PiiCategory.IpAddress => "IP",
        PiiCategory.AwsAccessKey => "AWS_ACCESS_KEY",
        PiiCategory.AwsSecretKey => "AWS_SECRET_KEY",
        PiiCategory.AnthropicKey => "ANTHROPIC_KEY",
        PiiCategory.GitHubToken => "GITHUB_TOKEN",
        PiiCategory.PrivateKey => "PRIVATE_KEY",
        _ => new string([.. match.Rule.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]),
    };
}
