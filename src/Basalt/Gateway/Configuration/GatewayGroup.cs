namespace Basalt.Gateway.Configuration;

/// <summary>A group of callers and the models it may use (<c>*</c> = all configured models).</summary>
public sealed record GatewayGroup(string Name, IReadOnlyList<string> Models)
{
    public bool Allows(string modelId) => Models.Contains("*", StringComparer.Ordinal) || Models.Contains(modelId, StringComparer.Ordinal);
}
