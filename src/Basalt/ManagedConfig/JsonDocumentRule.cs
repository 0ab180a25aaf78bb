namespace Basalt.ManagedConfig;

/// <summary>
/// The structural rule the validator applies inside a JSON-valued key (<see cref="KeyDefinition.JsonRule"/>);
/// declared in the key catalogue so the rule for a key is data, not a branch in code. Findings are reported in
/// this order.
/// </summary>
public enum JsonDocumentRule
{
    /// <summary>No rule beyond the key's type.</summary>
    None = 0,
    McpServers,
    Oidc,
    Banner,
    WorkspaceFolders,
    EgressHosts,
    ToolPolicy,
    OrgPluginSettings,
    ClaudeAiImport,
    ModelPricing,
}
