namespace Basalt.Deployment;

/// <summary>How Claude Code talks to an LLM gateway (bedrock-and-clients §5).</summary>
public enum GatewayClientMode
{
    /// <summary>Bedrock wire protocol: <c>ANTHROPIC_BEDROCK_BASE_URL</c> with <c>CLAUDE_CODE_SKIP_BEDROCK_AUTH=1</c>.</summary>
    Bedrock = 0,

    /// <summary>Anthropic Messages API: <c>ANTHROPIC_BASE_URL</c>.</summary>
    Anthropic,
}
