namespace Basalt.Emulator.Bedrock;

/// <summary>
/// A simulated Bedrock guardrail (issue 12: "the emulator simulates guardrails from config"): a request naming it in
/// <c>X-Amzn-Bedrock-GuardrailIdentifier</c>/<c>-GuardrailVersion</c> whose prompt contains a denied term is answered
/// with <see cref="BlockedInputMessaging"/>; an answer that would contain one is replaced with
/// <see cref="BlockedOutputsMessaging"/>. Either way the body carries <c>amazon-bedrock-guardrailAction:
/// INTERVENED</c>, as Bedrock marks an intervention on InvokeModel.
/// </summary>
internal sealed record GuardrailDefinition(string Id, string Version, IReadOnlyList<string> DeniedTerms, string BlockedInputMessaging, string BlockedOutputsMessaging)
{
    public bool Matches(string id, string version) =>
        (string.Equals(id, Id, StringComparison.Ordinal) || id.EndsWith(":guardrail/" + Id, StringComparison.Ordinal))
        && (Version == "*" || string.Equals(version, Version, StringComparison.Ordinal));

    public bool Denies(string text) => DeniedTerms.Any(t => text.Contains(t, StringComparison.OrdinalIgnoreCase));
}
