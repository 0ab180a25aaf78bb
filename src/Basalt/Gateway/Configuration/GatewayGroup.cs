namespace Basalt.Gateway.Configuration;

/// <summary>A group of callers, the models it may use (<c>*</c> = all configured models) and its content policy.</summary>
public sealed record GatewayGroup(string Name, IReadOnlyList<string> Models)
{
    /// <summary>PII masking, guardrail, archive and routing for this group (issue 12); none by default.</summary>
    public Basalt.Policy.GroupPolicy Policy { get; init; } = Basalt.Policy.GroupPolicy.None;

    /// <summary>Claude Code managed settings (JSON) served to this group at <c>/managed/settings</c>; null when none.</summary>
    public string? ManagedSettings { get; init; }

    public bool Allows(string modelId) => Models.Contains("*", StringComparer.Ordinal) || Models.Contains(modelId, StringComparer.Ordinal);
}
