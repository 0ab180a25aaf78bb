namespace Basalt.Emulator.Bedrock;

/// <summary>A <c>tool_result</c> block of the last user turn, with the tool's name found from the assistant's <c>tool_use</c>.</summary>
internal sealed record ToolResultTurn(string ToolUseId, string? ToolName, string Text);
