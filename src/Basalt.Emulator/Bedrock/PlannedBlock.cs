namespace Basalt.Emulator.Bedrock;

/// <summary>One content block of a reply, before it is rendered as JSON or as stream events.</summary>
internal abstract record PlannedBlock
{
    /// <summary>UTF-8 bytes this block contributes to the output token count (<see cref="TokenCounter"/>).</summary>
    public abstract int OutputBytes { get; }
}

internal sealed record TextBlock(string Text) : PlannedBlock
{
    public override int OutputBytes => TokenCounter.Bytes(Text);
}

internal sealed record ThinkingBlock(string Thinking, string Signature) : PlannedBlock
{
    public override int OutputBytes => TokenCounter.Bytes(Thinking);
}

internal sealed record ToolUseBlock(string Id, string Name, string InputJson) : PlannedBlock
{
    public override int OutputBytes => TokenCounter.Bytes(Name) + TokenCounter.Bytes(InputJson);
}
