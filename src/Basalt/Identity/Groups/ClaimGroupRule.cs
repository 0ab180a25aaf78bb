namespace Basalt.Identity.Groups;

/// <summary>A principal whose claim <paramref name="Claim"/> holds <paramref name="Value"/> is in <paramref name="Group"/> (e.g. <c>department = Finance</c> → <c>finance</c>).</summary>
public sealed record ClaimGroupRule(string Claim, string Value, string Group);
