namespace Basalt.Policy.Guardrails;

/// <summary>
/// The organization's Bedrock guardrail for a group (issue 12 item 1): sent on every upstream call of the group as
/// <c>X-Amzn-Bedrock-GuardrailIdentifier</c> / <c>-GuardrailVersion</c> / <c>-Trace</c> (bedrock-and-clients.md,
/// request headers), so Bedrock itself enforces it whatever the client sends.
/// </summary>
public sealed record GuardrailPolicy(string Identifier, string Version, bool Trace)
{
    public IEnumerable<KeyValuePair<string, string>> Headers()
    {
        yield return new("X-Amzn-Bedrock-GuardrailIdentifier", Identifier);
        yield return new("X-Amzn-Bedrock-GuardrailVersion", Version);
        if (Trace)
        {
            yield return new("X-Amzn-Bedrock-Trace", "ENABLED");
        }
    }
}
