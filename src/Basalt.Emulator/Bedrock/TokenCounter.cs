using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// The emulator's one way of counting tokens (docs/emulator.md, "Token counts"): tokens = ceil(UTF-8 bytes / 4).
/// Input bytes are the text of <c>system</c> (a string or its text blocks), of every message (string content;
/// <c>text</c>, <c>thinking</c>, <c>tool_result</c> text, and <c>tool_use</c> name + input JSON as sent), and of
/// each <c>tools</c> entry as sent (its raw JSON). Output bytes are the generated text, thinking text, and each
/// tool_use block's name + compact input JSON. Images and documents count nothing. The same numbers appear in
/// <c>usage</c>, <c>amazon-bedrock-invocationMetrics</c>, the token-count headers and CountTokens.
/// </summary>
internal static class TokenCounter
{
    public static int FromBytes(long bytes) => (int)Math.Min(int.MaxValue, (bytes + 3) / 4);

    public static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>Input tokens of an Anthropic Messages body (the InvokeModel body); at least 1 when there is any message.</summary>
    public static int CountInput(JsonElement body)
    {
        long bytes = 0;
        if (body.TryGetProperty("system", out var system))
        {
            bytes += TextBytes(system);
        }

        if (body.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
                {
                    bytes += ContentBytes(content);
                }
            }
        }

        if (body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                bytes += JsonMarshal.GetRawUtf8Value(tool).Length;
            }
        }

        return Math.Max(1, FromBytes(bytes));
    }

    /// <summary>
    /// Input tokens of a Converse-shaped body (CountTokens with <c>input.converse</c>): text of <c>system</c> and
    /// message content blocks (<c>text</c>, <c>toolUse.input</c>, <c>toolResult</c> text) and the raw JSON of
    /// <c>toolConfig.tools</c> entries.
    /// </summary>
    public static int CountConverseInput(JsonElement body)
    {
        long bytes = 0;
        if (body.TryGetProperty("system", out var system) && system.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in system.EnumerateArray())
            {
                bytes += StringBytes(block, "text");
            }
        }

        if (body.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
                {
                    foreach (var block in content.EnumerateArray())
                    {
                        bytes += ConverseBlockBytes(block);
                    }
                }
            }
        }

        if (body.TryGetProperty("toolConfig", out var config) && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                bytes += JsonMarshal.GetRawUtf8Value(tool).Length;
            }
        }

        return Math.Max(1, FromBytes(bytes));
    }

    private static long ConverseBlockBytes(JsonElement block)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        long bytes = StringBytes(block, "text");
        if (block.TryGetProperty("toolUse", out var use) && use.ValueKind == JsonValueKind.Object)
        {
            bytes += StringBytes(use, "name");
            if (use.TryGetProperty("input", out var input))
            {
                bytes += JsonMarshal.GetRawUtf8Value(input).Length;
            }
        }

        if (block.TryGetProperty("toolResult", out var result) && result.ValueKind == JsonValueKind.Object
            && result.TryGetProperty("content", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in parts.EnumerateArray())
            {
                bytes += ConverseBlockBytes(part);
            }
        }

        return bytes;
    }

    /// <summary>A string, or an array of blocks whose <c>text</c> counts.</summary>
    private static long TextBytes(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return Bytes(value.GetString()!);
        }

        long bytes = 0;
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in value.EnumerateArray())
            {
                bytes += StringBytes(block, "text");
            }
        }

        return bytes;
    }

    private static long ContentBytes(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return Bytes(content.GetString()!);
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        long bytes = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            switch (type.GetString())
            {
                case "text":
                    bytes += StringBytes(block, "text");
                    break;
                case "thinking":
                    bytes += StringBytes(block, "thinking");
                    break;
                case "tool_use":
                    bytes += StringBytes(block, "name");
                    if (block.TryGetProperty("input", out var input))
                    {
                        bytes += JsonMarshal.GetRawUtf8Value(input).Length;
                    }

                    break;
                case "tool_result":
                    if (block.TryGetProperty("content", out var result))
                    {
                        bytes += TextBytes(result);
                    }

                    break;
            }
        }

        return bytes;
    }

    private static long StringBytes(JsonElement obj, string property)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String
            ? Bytes(v.GetString()!)
            : 0;
}
