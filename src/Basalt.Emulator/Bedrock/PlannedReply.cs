namespace Basalt.Emulator.Bedrock;

/// <summary>
/// A complete reply, decided before the first byte is sent so that the stream and the non-stream response
/// carry the same content and the same token counts.
/// </summary>
internal sealed record PlannedReply(IReadOnlyList<PlannedBlock> Blocks, string StopReason, string? StopSequence, int InputTokens)
{
    /// <summary>A simulated guardrail replaced the prompt's or the answer's content (issue 12).</summary>
    public bool GuardrailIntervened { get; init; }

    public int OutputTokens => TokenCounter.FromBytes(Blocks.Sum(b => (long)b.OutputBytes));
}
