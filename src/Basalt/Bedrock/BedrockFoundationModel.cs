namespace Basalt.Bedrock;

/// <summary>An entry of <c>GET /foundation-models</c> (spec bedrock-and-clients §2).</summary>
public sealed record BedrockFoundationModel(
    string ModelId,
    string? ModelArn,
    string? ModelName,
    string? ProviderName,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    bool? ResponseStreamingSupported,
    IReadOnlyList<string> InferenceTypesSupported,
    string? LifecycleStatus)
{
    public bool IsActive => LifecycleStatus is null || string.Equals(LifecycleStatus, "ACTIVE", StringComparison.OrdinalIgnoreCase);

    /// <summary>Invocable by its own id in the region (else only through an inference profile).</summary>
    public bool SupportsOnDemand => InferenceTypesSupported.Contains("ON_DEMAND", StringComparer.OrdinalIgnoreCase);
}
