namespace Basalt.Identity.Groups;

/// <summary>
/// How a caller's gateway groups are decided (issue 9 item 1). Groups decide which models a principal may use and,
/// in the usage part, budgets and limits, so every source is explicit:
/// <list type="bullet">
/// <item>values of the <see cref="GroupClaims"/> in a token (Okta and Keycloak send group names; Entra sends
/// group object ids, which <see cref="IdpGroups"/> turns into gateway groups);</item>
/// <item><see cref="ClaimRules"/>: claim = value → group;</item>
/// <item><see cref="Users"/>: explicit lists of stable user ids per group (works for every authentication method,
/// including AWS identities and API keys bound to a person);</item>
/// <item><see cref="DefaultGroups"/> for every authenticated caller.</item>
/// </list>
/// </summary>
public sealed record GroupMapping
{
    public static GroupMapping None { get; } = new();

    /// <summary>Token claims whose values are groups or IdP group ids.</summary>
    public IReadOnlyList<string> GroupClaims { get; init; } = ["groups"];

    /// <summary>IdP group id (or name) → gateway group.</summary>
    public IReadOnlyDictionary<string, string> IdpGroups { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Whether a group claim value with no <see cref="IdpGroups"/> entry is kept as a group under its own name.
    /// Off for IdPs that send opaque ids (Entra), so a stray id never matches a policy by accident.
    /// </summary>
    public bool KeepUnmappedGroups { get; init; } = true;

    public IReadOnlyList<ClaimGroupRule> ClaimRules { get; init; } = [];

    /// <summary>Gateway group → stable user ids (<c>oid</c>/<c>sub</c>, ARN-derived ids) in it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Users { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    public IReadOnlyList<string> DefaultGroups { get; init; } = [];

    /// <summary>
    /// The groups of <paramref name="userId"/>, reading claims through <paramref name="claimValues"/> (a claim name →
    /// its string values; empty for callers without claims). Sorted, without duplicates.
    /// </summary>
    public IReadOnlyList<string> Resolve(string userId, Func<string, IReadOnlyList<string>> claimValues)
    {
        ArgumentNullException.ThrowIfNull(claimValues);
        var groups = new SortedSet<string>(DefaultGroups, StringComparer.Ordinal);
        foreach (var claim in GroupClaims)
        {
            foreach (var value in claimValues(claim))
            {
                if (IdpGroups.TryGetValue(value, out var mapped))
                {
                    groups.Add(mapped);
                }
                else if (KeepUnmappedGroups && value.Length > 0)
                {
                    groups.Add(value);
                }
            }
        }

        foreach (var rule in ClaimRules)
        {
            if (claimValues(rule.Claim).Contains(rule.Value, StringComparer.Ordinal))
            {
                groups.Add(rule.Group);
            }
        }

        foreach (var (group, users) in Users)
        {
            if (users.Contains(userId, StringComparer.Ordinal))
            {
                groups.Add(group);
            }
        }

        return [.. groups];
    }
}
