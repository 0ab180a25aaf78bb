namespace Basalt.ManagedConfig;

/// <summary>The catalogue sections of cowork3p-reference §2, used for grouping in docs, ADMX categories and reports.</summary>
public enum KeyCategory
{
    Inference = 0,
    Anthropic,
    Bedrock,
    Foundry,
    Gateway,
    Vertex,
    Models,
    OrgPolicy,
    Mcp,
    Telemetry,
    Updates,
    UsageLimits,
    Appearance,
    Bootstrap,
}
