namespace Basalt.Emulator.Bedrock;

/// <summary>A scripted <c>tool_use</c> block: the tool's name and its input as compact JSON.</summary>
internal sealed record ToolUseReply(string Name, string InputJson);
