using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// Decides the deterministic reply to a validated request (docs/emulator.md, "Replies"): the same request always
/// gets the same content. Order: (1) a tool_result answering a tool_use this emulator issued continues with that
/// rule's <c>afterToolResult</c>; (2) rules with <c>toolResult:</c> matching a returned tool; (3) prompt rules on
/// the last user text, first match wins; (4) echo or the default text. Then <c>stop_sequences</c> and
/// <c>max_tokens</c> cut the reply the way the model would stop.
/// </summary>
internal sealed class ReplyPlanner(ReplyOptions options)
{
    /// <summary>Marks tool_use ids issued by a rule so its continuation can be found statelessly: <c>toolu_bdrk_bsl{rule}x{hash}</c>.</summary>
    private const string ToolIdPrefix = "toolu_bdrk_bsl";

    public PlannedReply Plan(AnthropicRequest request)
    {
        var blocks = Choose(request, out var stopReason);
        if (request.ThinkingEnabled && blocks.Count > 0 && blocks[0] is not ThinkingBlock)
        {
            blocks.Insert(0, Thinking(DefaultThinking(request)));
        }

        return Limit(blocks, stopReason, request);
    }

    private List<PlannedBlock> Choose(AnthropicRequest request, out string stopReason)
    {
        foreach (var result in request.ToolResults)
        {
            if (RuleFromToolId(result.ToolUseId) is { AfterToolResult: { } after } rule)
            {
                stopReason = rule.StopReason ?? "end_turn";
                return [.. ThinkingFor(rule, request), new TextBlock(after)];
            }
        }

        foreach (var rule in options.Rules)
        {
            if (rule.ToolResult is null)
            {
                continue;
            }

            if (request.ToolResults.Any(r => r.ToolName == rule.ToolResult && rule.MatchesText(r.Text)) && Answer(rule, request, out stopReason) is { } answer)
            {
                return answer;
            }
        }

        foreach (var rule in options.Rules)
        {
            if (rule.ToolResult is null && rule.MatchesText(request.PromptText) && Answer(rule, request, out stopReason) is { } answer)
            {
                return answer;
            }
        }

        stopReason = "end_turn";
        var text = options.Mode == ReplyMode.Text ? options.DefaultText : EchoText(request);
        return [new TextBlock(text)];
    }

    /// <summary>A rule's answer, or null when it only offers a tool the request does not (then the next rule is tried).</summary>
    private static List<PlannedBlock>? Answer(ScriptedRule rule, AnthropicRequest request, out string stopReason)
    {
        var blocks = ThinkingFor(rule, request);
        if (rule.ToolUse is { } tool && request.ToolNames.Contains(tool.Name))
        {
            if (rule.Reply is { Length: > 0 } preface)
            {
                blocks.Add(new TextBlock(preface));
            }

            blocks.Add(new ToolUseBlock(ToolId(rule, request), tool.Name, tool.InputJson));
            stopReason = "tool_use";
            return blocks;
        }

        stopReason = rule.StopReason ?? "end_turn";
        if (rule.Reply is null)
        {
            return null;
        }

        blocks.Add(new TextBlock(rule.Reply));
        return blocks;
    }

    private static List<PlannedBlock> ThinkingFor(ScriptedRule rule, AnthropicRequest request)
        => request.ThinkingEnabled ? [Thinking(rule.Thinking ?? DefaultThinking(request))] : [];

    private ScriptedRule? RuleFromToolId(string id)
    {
        if (!id.StartsWith(ToolIdPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = id.AsSpan(ToolIdPrefix.Length);
        var x = rest.IndexOf('x');
        return x > 0 && int.TryParse(rest[..x], NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < options.Rules.Count
            ? options.Rules[index]
            : null;
    }

    private static string ToolId(ScriptedRule rule, AnthropicRequest request)
    {
        // Deterministic per conversation position, so a replayed request gets the same id.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{rule.Index}\n{request.MessageCount}\n{request.PromptText}"));
        return $"{ToolIdPrefix}{rule.Index.ToString(CultureInfo.InvariantCulture)}x{Convert.ToHexStringLower(hash)[..20]}";
    }

    private static string EchoText(AnthropicRequest request)
    {
        if (request.PromptText.Length > 0)
        {
            return request.PromptText;
        }

        var results = string.Join('\n', request.ToolResults.Select(r => r.Text).Where(t => t.Length > 0));
        return results.Length > 0 ? results : "(empty prompt)";
    }

    private static string DefaultThinking(AnthropicRequest request)
    {
        var prompt = request.PromptText.Length > 0 ? request.PromptText : string.Join('\n', request.ToolResults.Select(r => r.Text));
        var shown = prompt.Length > 200 ? prompt[..200] + "…" : prompt;
        return $"The user wrote: \"{shown}\". I will answer from the emulator's script.";
    }

    /// <summary>Signatures are opaque to clients; a hash of the thinking keeps them deterministic and tamper-evident.</summary>
    private static ThinkingBlock Thinking(string text)
        => new(text, Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("basalt-emulator-thinking\n" + text))));

    private static PlannedReply Limit(List<PlannedBlock> blocks, string stopReason, AnthropicRequest request)
    {
        string? stopSequence = null;
        var result = new List<PlannedBlock>(blocks.Count);
        long budget = (long)request.MaxTokens * 4;
        foreach (var block in blocks)
        {
            var current = block;
            if (current is TextBlock text && request.StopSequences.Count > 0)
            {
                var (cut, seq) = FirstStop(text.Text, request.StopSequences);
                if (seq is not null)
                {
                    current = new TextBlock(text.Text[..cut]);
                    stopSequence = seq;
                }
            }

            if (current.OutputBytes > budget)
            {
                if (current is TextBlock t && budget > 0)
                {
                    result.Add(new TextBlock(TruncateUtf8(t.Text, (int)budget)));
                }
                else if (current is ThinkingBlock th && budget > 0)
                {
                    var truncated = TruncateUtf8(th.Thinking, (int)budget);
                    result.Add(Thinking(truncated));
                }

                return new PlannedReply(result, "max_tokens", null, request.InputTokens);
            }

            budget -= current.OutputBytes;
            if (current is not TextBlock { Text.Length: 0 })
            {
                result.Add(current);
            }

            if (stopSequence is not null)
            {
                return new PlannedReply(result, "stop_sequence", stopSequence, request.InputTokens);
            }
        }

        return new PlannedReply(result, stopReason, null, request.InputTokens);
    }

    private static (int Index, string? Sequence) FirstStop(string text, List<string> sequences)
    {
        var best = (Index: int.MaxValue, Sequence: (string?)null);
        foreach (var s in sequences)
        {
            var i = text.IndexOf(s, StringComparison.Ordinal);
            if (i >= 0 && i < best.Index)
            {
                best = (i, s);
            }
        }

        return best.Sequence is null ? (0, null) : best;
    }

    private static string TruncateUtf8(string text, int maxBytes)
    {
        var bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 4 : text[i] < 0x80 ? 1 : text[i] < 0x800 ? 2 : 3;
            if (bytes + width > maxBytes)
            {
                return text[..i];
            }

            bytes += width;
            if (width == 4)
            {
                i++;
            }
        }

        return text;
    }
}
