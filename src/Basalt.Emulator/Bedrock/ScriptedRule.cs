using System.Text.RegularExpressions;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// One scripted reply (docs/emulator.md, "Scripted replies"). A rule matches either the prompt — the text of the
/// last user turn, by case-insensitive substring (<see cref="Contains"/>) and/or regex (<see cref="Pattern"/>);
/// no matcher matches every prompt — or, with <see cref="ToolResult"/>, a turn carrying the <c>tool_result</c> of
/// that tool. It answers with text (<see cref="Reply"/>), a <c>tool_use</c> block when the request offers that
/// tool, and an optional thinking text; <see cref="AfterToolResult"/> is the continuation once the tool's
/// result comes back.
/// </summary>
internal sealed record ScriptedRule(int Index, string Name)
{
    public string? Contains { get; init; }

    public Regex? Pattern { get; init; }

    public string? ToolResult { get; init; }

    public string? Reply { get; init; }

    public string? Thinking { get; init; }

    public ToolUseReply? ToolUse { get; init; }

    public string? AfterToolResult { get; init; }

    public string? StopReason { get; init; }

    public bool MatchesText(string text)
        => (Contains is null || text.Contains(Contains, StringComparison.OrdinalIgnoreCase))
            && (Pattern is null || Pattern.IsMatch(text));
}
