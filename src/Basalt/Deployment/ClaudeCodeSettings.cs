using Basalt.Diagnostics.Reading;
namespace Basalt.Deployment;

/// <summary>
/// Claude Code's managed settings for the group (seed 004): whether to write them, how to talk to a gateway,
/// and extra <c>env</c> entries to add.
/// </summary>
public sealed record ClaudeCodeSettings(bool Enabled, GatewayClientMode GatewayMode, IReadOnlyList<KeyValuePair<string, FieldValue>> Env)
{
    public static ClaudeCodeSettings Default { get; } = new(true, GatewayClientMode.Bedrock, []);
}
