using System.Text;

namespace Basalt.Testing;

/// <summary>
/// The emulator a gateway test signs into: one account, a user <c>gateway</c> whose static keys the gateway holds, a
/// role <c>BedrockUser</c> it may assume per caller, echo replies plus a tool-use rule. Shared by the in-process
/// gateway tests and the tests that run <c>basalt gateway serve</c> as real processes.
/// </summary>
public static class GatewayEmulatorYaml
{
    public const string Account = "111122223333";

    public static string Build(string keyId, string secret, string? faults, string? extraBedrock)
    {
        var y = new StringBuilder();
        y.AppendLine("region: us-east-1");
        y.AppendLine("accounts:");
        y.AppendLine($"  - {{ id: \"{Account}\", name: Gateway test }}");
        y.AppendLine("users:");
        y.AppendLine("  - name: gateway");
        y.AppendLine($"    account: \"{Account}\"");
        y.AppendLine($"    accessKeys: [ {{ accessKeyId: {keyId}, secretAccessKey: {secret} }} ]");
        y.AppendLine("roles:");
        y.AppendLine("  - name: BedrockUser");
        y.AppendLine($"    account: \"{Account}\"");
        y.AppendLine("    maxSessionDuration: 4h");
        y.AppendLine($"    trust: {{ principals: [ \"arn:aws:iam::{Account}:user/gateway\" ] }}");
        y.AppendLine("bedrock:");
        y.AppendLine("  replies:");
        y.AppendLine("    default: echo");
        y.AppendLine("    rules:");
        y.AppendLine("      - name: weather");
        y.AppendLine("        contains: weather");
        y.AppendLine("        reply: Let me check.");
        y.AppendLine("        thinking: The user wants the weather.");
        y.AppendLine("        toolUse: { name: get_weather, input: { city: Paris } }");
        y.AppendLine("        afterToolResult: It is sunny in Paris.");
        if (extraBedrock is not null)
        {
            y.AppendLine(extraBedrock);
        }

        if (faults is not null)
        {
            y.AppendLine(faults);
        }

        return y.ToString();
    }
}
