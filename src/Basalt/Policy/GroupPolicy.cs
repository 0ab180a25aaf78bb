using Basalt.Policy.Guardrails;
using Basalt.Policy.Pii;
using Basalt.Policy.Routing;

namespace Basalt.Policy;

/// <summary>
/// A group's content policy (issue 12): PII masking, the Bedrock guardrail, the prompt archive and routing. A
/// person in several groups gets the strictest combination (<see cref="Combine"/>).
/// </summary>
public sealed record GroupPolicy
{
    public static GroupPolicy None { get; } = new();

    public PiiPolicy? Pii { get; init; }

    public GuardrailPolicy? Guardrail { get; init; }

    /// <summary>Archive this group's requests and answers (encrypted; the gateway's <c>archive:</c> section holds the key).</summary>
    public bool Archive { get; init; }

    public RoutingPolicy Routing { get; init; } = RoutingPolicy.None;

    public bool IsEmpty => Pii is null && Guardrail is null && !Archive && Routing.IsEmpty;

    /// <summary>
    /// The policy for a person in all of <paramref name="policies"/> (in group order): per PII category the strictest
    /// action (block over mask over log-only) and every custom pattern; the first guardrail and routing configured;
    /// archived when any group archives. Strictest wins because group membership is additive: joining a group must
    /// never loosen what another group requires.
    /// </summary>
    public static GroupPolicy Combine(IReadOnlyList<GroupPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var set = policies.Where(p => !p.IsEmpty).ToList();
        if (set.Count <= 1)
        {
            return set.Count == 1 ? set[0] : None;
        }

        PiiPolicy? pii = null;
        foreach (var p in set.Select(s => s.Pii).OfType<PiiPolicy>())
        {
            if (pii is null)
            {
                pii = p;
                continue;
            }

            var actions = new Dictionary<PiiCategory, PiiAction>(pii.Actions);
            foreach (var (category, action) in p.Actions)
            {
                actions[category] = actions.TryGetValue(category, out var existing) ? Stricter(existing, action) : action;
            }

            pii = pii with
            {
                Actions = actions,
                NationalIdCountries = [.. pii.NationalIdCountries.Union(p.NationalIdCountries, StringComparer.OrdinalIgnoreCase)],
                CustomPatterns = [.. pii.CustomPatterns, .. p.CustomPatterns.Where(c => pii.CustomPatterns.All(e => e.Name != c.Name))],
                RestoreInResponse = pii.RestoreInResponse && p.RestoreInResponse,
                ScanResponsesForSecrets = pii.ScanResponsesForSecrets || p.ScanResponsesForSecrets,
            };
        }

        return new GroupPolicy
        {
            Pii = pii,
            Guardrail = set.Select(s => s.Guardrail).FirstOrDefault(g => g is not null),
            Archive = set.Any(s => s.Archive),
            Routing = set.Select(s => s.Routing).FirstOrDefault(r => !r.IsEmpty) ?? RoutingPolicy.None,
        };
    }

    private static PiiAction Stricter(PiiAction a, PiiAction b) =>
        a == PiiAction.Block || b == PiiAction.Block ? PiiAction.Block : a == PiiAction.Mask || b == PiiAction.Mask ? PiiAction.Mask : PiiAction.LogOnly;
}
