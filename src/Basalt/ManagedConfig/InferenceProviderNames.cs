namespace Basalt.ManagedConfig;

/// <summary>Wire spelling of <see cref="InferenceProvider"/> values (the exact, case-sensitive strings the app accepts).</summary>
public static class InferenceProviderNames
{
    public static string ToWire(this InferenceProvider provider) => provider switch
    {
        InferenceProvider.Anthropic => "anthropic",
        InferenceProvider.Gateway => "gateway",
        InferenceProvider.Vertex => "vertex",
        InferenceProvider.Bedrock => "bedrock",
        InferenceProvider.Mantle => "mantle",
        InferenceProvider.Foundry => "foundry",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>Every provider in documentation order.</summary>
    public static IReadOnlyList<InferenceProvider> All { get; } =
    [
        InferenceProvider.Anthropic, InferenceProvider.Gateway, InferenceProvider.Vertex,
        InferenceProvider.Bedrock, InferenceProvider.Mantle, InferenceProvider.Foundry,
    ];

    /// <summary>Parses a wire value. Case-sensitive, as the app is: <c>Bedrock</c> is not a provider.</summary>
    public static bool TryParse(string? text, out InferenceProvider provider)
    {
        foreach (var p in All)
        {
            if (string.Equals(p.ToWire(), text, StringComparison.Ordinal))
            {
                provider = p;
                return true;
            }
        }

        provider = default;
        return false;
    }
}
