using Xunit.Abstractions;
using System.Diagnostics;
using Basalt.Policy.Pii;

namespace Basalt.Tests.Policy.Pii;

/// <summary>
/// Issue 12 "Done when": at least 1,000 generated strings per detector (positives and near-miss negatives) with
/// precision and recall printed; goal ≥ 0.99 recall on the structured detectors (cards, keys, IBAN, email).
/// </summary>
public sealed class PiiCorpusTests(ITestOutputHelper output)
{
    private const int PerKind = 1000;

    public static TheoryData<PiiCategory, string?, double> Detectors => new()
    {
        // Structured: a checksum, a registered length or a fixed shape decides; the goal is ≥ 0.99.
        { PiiCategory.Email, null, 0.99 },
        { PiiCategory.PaymentCard, null, 0.99 },
        { PiiCategory.Iban, null, 0.99 },
        { PiiCategory.AwsAccessKey, null, 0.99 },
        { PiiCategory.AwsSecretKey, null, 0.99 },
        { PiiCategory.AnthropicKey, null, 0.99 },
        { PiiCategory.GitHubToken, null, 0.99 },
        { PiiCategory.PrivateKey, null, 0.99 },
        // Shape-only detectors: no checksum exists, so the bar is lower and the numbers are printed for operators.
        { PiiCategory.Phone, null, 0.95 },
        { PiiCategory.IpAddress, null, 0.95 },
        { PiiCategory.NationalId, "NationalId:US", 0.95 },
        { PiiCategory.NationalId, "NationalId:GB", 0.95 },
    };

    [Theory]
    [MemberData(nameof(Detectors))]
    public void Generated_positives_are_found_and_near_misses_are_not(PiiCategory category, string? rule, double goal)
    {
        var countries = rule is null ? (IReadOnlyList<string>)["US", "GB"] : [rule["NationalId:".Length..]];
        var scanner = PiiScanner.For(new PiiPolicy { Actions = new Dictionary<PiiCategory, PiiAction> { [category] = PiiAction.Mask }, NationalIdCountries = countries });
        int tp = 0, fn = 0, fp = 0, tn = 0;
        var misses = new List<string>();
        var clock = Stopwatch.StartNew();
        foreach (var sample in new PiiCorpus(seed: (int)category * 31 + (rule?.Length ?? 0)).Samples(category, rule, PerKind))
        {
            var found = scanner.Scan(sample.Text);
            if (sample.Positive)
            {
                if (found.Any(m => m.Start == sample.Start && m.Length == sample.Length))
                {
                    tp++;
                }
                else
                {
                    fn++;
                    misses.Add("missed: " + sample.Text);
                }
            }
            else if (found.Count > 0)
            {
                fp++;
                misses.Add("false positive: " + sample.Text);
            }
            else
            {
                tn++;
            }
        }

        var recall = tp / (double)(tp + fn);
        var precision = tp / (double)(tp + fp);
        output.WriteLine($"{rule ?? category.ToString()}: {tp + fn} positives, {fp + tn} near misses; recall {recall:F4}, precision {precision:F4}; {clock.Elapsed.TotalMilliseconds:F0} ms");
        foreach (var miss in misses.Take(10))
        {
            output.WriteLine("  " + miss.ReplaceLineEndings("⏎"));
        }

        Assert.Equal(PerKind * 2, tp + fn + fp + tn);
        Assert.True(recall >= goal, $"recall {recall:F4} below {goal}");
        Assert.True(precision >= goal, $"precision {precision:F4} below {goal}");
    }
}
