namespace Basalt.ManagedConfig;

/// <summary>The values of <c>inferenceProvider</c> (cowork3p-reference §2.1). Wire names are lower case.</summary>
public enum InferenceProvider
{
    Anthropic = 0,
    Gateway,
    Vertex,
    Bedrock,
    Mantle,
    Foundry,
}
