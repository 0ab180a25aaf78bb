using Basalt.Policy.Pii;

namespace Basalt.Policy;

/// <summary>
/// A group's content policy in words, one line per part (issue 12 item 5: "shown in config report-style output for
/// the gateway"): what <c>basalt gateway check</c> prints and what the admin dashboard shows. Never a secret: the
/// archive key is not part of a group's policy, and custom patterns are named, not printed.
/// </summary>
public static class GroupPolicyDescription
{
    public static IReadOnlyList<string> Describe(GroupPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var lines = new List<string>();
        if (policy.Pii is { } pii)
        {
            var categories = pii.Actions
                .Where(a => a.Key != PiiCategory.Custom)
                .OrderBy(a => a.Key)
                .Select(a => $"{PiiCategoryNames.ConfigurationWord(a.Key)} {Word(a.Value)}")
                .Concat(pii.CustomPatterns.Select(c => $"custom '{c.Name}' {Word(c.Action)}"));
            lines.Add($"PII: {string.Join(", ", categories)}");
            if (pii.Actions.ContainsKey(PiiCategory.NationalId))
            {
                lines.Add($"  national ids of: {string.Join(", ", pii.NationalIdCountries)}");
            }

            lines.Add($"  placeholders restored in answers: {(pii.RestoreInResponse ? "yes" : "no")}; answers scanned for secrets: {(pii.ScanResponsesForSecrets ? "yes" : "no")}");
        }

        if (policy.Guardrail is { } guardrail)
        {
            lines.Add($"Bedrock guardrail: {guardrail.Identifier} version {guardrail.Version}{(guardrail.Trace ? ", trace on" : string.Empty)} (sent on every upstream call, replacing the client's)");
        }

        lines.Add(policy.Archive ? "archive: prompts and answers stored encrypted (AES-256-GCM), reads audited" : "archive: off (nothing stored)");
        foreach (var alias in policy.Routing.Aliases.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            var rules = alias.Rules.Select(r => $"{r.Model} when {r.When}").Append($"else {alias.Default}");
            lines.Add($"routing '{alias.Name}': {string.Join("; ", rules)}");
        }

        foreach (var rewrite in policy.Routing.Rewrites.OrderBy(r => r.From, StringComparer.Ordinal))
        {
            lines.Add(rewrite.To is { } to ? $"rewrite: {rewrite.From} served as {to}" : $"rewrite: {rewrite.From} refused");
        }

        return lines;
    }

    private static string Word(PiiAction action) => action switch
    {
        PiiAction.Mask => "mask",
        PiiAction.Block => "block",
        _ => "log-only",
    };
}
