using System.Text.RegularExpressions;
using Basalt.Policy.Pii.Detectors;

namespace Basalt.Policy.Pii;

/// <summary>
/// Runs a policy's detectors over a text and returns non-overlapping findings in order (an earlier finding wins; at
/// the same start, the longer). Built once per policy and shared: detectors hold no per-request state.
/// </summary>
public sealed class PiiScanner
{
    private readonly PiiDetector[] _detectors;

    public PiiScanner(IEnumerable<PiiDetector> detectors) => _detectors = [.. detectors];

    /// <summary>The detectors a policy asks for, custom patterns included (compiled non-backtracking: linear time).</summary>
    public static PiiScanner For(PiiPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var detectors = new List<PiiDetector>();
        foreach (var category in policy.Actions.Keys)
        {
            detectors.AddRange(BuiltIn(category, policy.NationalIdCountries));
        }

        foreach (var custom in policy.CustomPatterns)
        {
            detectors.Add(new RegexDetector(PiiCategory.Custom, CompileCustom(custom.Pattern), rule: custom.Name));
        }

        return new PiiScanner(detectors);
    }

    /// <summary>Only the secret detectors, for scanning answers.</summary>
    public static PiiScanner Secrets() => new([.. SecretCategories.SelectMany(c => BuiltIn(c, []))]);

    internal static readonly PiiCategory[] SecretCategories = [PiiCategory.AwsAccessKey, PiiCategory.AwsSecretKey, PiiCategory.AnthropicKey, PiiCategory.GitHubToken, PiiCategory.PrivateKey];

    /// <summary>
    /// Custom patterns come from configuration: compiled non-backtracking, so matching is linear in the text whatever
    /// the pattern. No match timeout: the engine is already bounded, and a timeout only fires when the machine is
    /// busy (its first match builds the automaton), turning load into refused requests.
    /// </summary>
    public static Regex CompileCustom(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    internal static IEnumerable<PiiDetector> BuiltIn(PiiCategory category, IReadOnlyList<string> countries)
    {
        switch (category)
        {
            case PiiCategory.Email:
                yield return new EmailDetector();
                break;
            case PiiCategory.Phone:
                yield return new RegexDetector(category, BuiltInPatterns.Phone(), v => v.Count(char.IsAsciiDigit) is >= 8 and <= 15);
                break;
            case PiiCategory.PaymentCard:
                yield return new PaymentCardDetector();
                break;
            case PiiCategory.Iban:
                yield return new IbanDetector();
                break;
            case PiiCategory.NationalId:
                foreach (var country in countries)
                {
                    if (country.Equals("US", StringComparison.OrdinalIgnoreCase))
                    {
                        yield return new RegexDetector(category, BuiltInPatterns.UsSsn(), rule: "NationalId:US");
                    }
                    else if (country.Equals("GB", StringComparison.OrdinalIgnoreCase))
                    {
                        yield return new RegexDetector(category, BuiltInPatterns.UkNino(), rule: "NationalId:GB");
                    }
                }

                break;
            case PiiCategory.IpAddress:
                yield return new IpAddressDetector();
                break;
            case PiiCategory.AwsAccessKey:
                yield return new RegexDetector(category, BuiltInPatterns.AwsAccessKey());
                break;
            case PiiCategory.AwsSecretKey:
                yield return new RegexDetector(category, BuiltInPatterns.AwsSecretKey());
                break;
            case PiiCategory.AnthropicKey:
                yield return new RegexDetector(category, BuiltInPatterns.AnthropicKey());
                break;
            case PiiCategory.GitHubToken:
                yield return new RegexDetector(category, BuiltInPatterns.GitHubToken());
                break;
            case PiiCategory.PrivateKey:
                yield return new PrivateKeyDetector();
                break;
            case PiiCategory.Custom:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(category), category, "unknown PII category");
        }
    }

    /// <summary>Supported national-id countries (the configuration reader names them in its error).</summary>
    public static IReadOnlyList<string> NationalIdCountries { get; } = ["US", "GB"];

    public IReadOnlyList<PiiMatch> Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<PiiMatch>();
        foreach (var detector in _detectors)
        {
            detector.Find(text, found);
        }

        if (found.Count < 2)
        {
            return found;
        }

        found.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var result = new List<PiiMatch>(found.Count);
        var end = -1;
        foreach (var match in found)
        {
            if (match.Start >= end)
            {
                result.Add(match);
                end = match.End;
            }
        }

        return result;
    }
}
