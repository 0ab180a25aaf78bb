using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Reads <c>claudeCode:</c> (enabled, gateway mode, extra environment).
/// </summary>
internal static class ClaudeCodeSectionReader
{
    public static ClaudeCodeSettings Read(FieldReader context, InputNode node)
    {
        var cc = context.Mapping(node, "claudeCode", string.Empty);
        if (cc is null)
        {
            return ClaudeCodeSettings.Default;
        }

        context.CheckKeys(cc, "claudeCode", DeploymentSchema.ClaudeCodeKeys);
        var enabled = context.Bool(cc, "enabled", "claudeCode") ?? true;
        var mode = context.Choice(cc, "gatewayMode", "claudeCode", ["bedrock", "anthropic"], "bedrock") == "anthropic" ? GatewayClientMode.Anthropic : GatewayClientMode.Bedrock;
        var env = new List<KeyValuePair<string, FieldValue>>();
        if (context.Mapping(cc, "env", "claudeCode") is { } envNode)
        {
            foreach (var (k, v) in envNode.Entries)
            {
                var name = k.Scalar ?? string.Empty;
                if (!DeploymentPatterns.EnvName().IsMatch(name))
                {
                    context.Error(DeploymentDiagnosticCodes.InvalidValue, k, $"claudeCode.env.{name}", "not an environment variable name; expected upper case letters, digits and '_'", "rename it, e.g. DISABLE_TELEMETRY");
                    continue;
                }

                if (context.Scalar(v, $"claudeCode.env.{name}") is { } value)
                {
                    env.Add(new(name, value));
                }
            }
        }

        return new ClaudeCodeSettings(enabled, mode, env);
    }
}
