using System.Text.Json;
using Basalt.Bedrock.Metering;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// Renders a <see cref="PlannedReply"/> as the Anthropic Messages JSON that Bedrock returns: the whole message for
/// InvokeModel, and the stream events for InvokeModelWithResponseStream (bedrock-and-clients §1). Usage is the
/// same in both: <c>input_tokens</c> from <see cref="TokenCounter"/>, and <c>output_tokens</c> cumulative in
/// <c>message_delta</c>; <c>message_start</c> reports 1 output token, as the real service does.
/// </summary>
internal static class AnthropicJson
{
    public static void WriteMessage(Utf8JsonWriter w, PlannedReply reply, string id, string model)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WriteStartArray("content");
        foreach (var block in reply.Blocks)
        {
            switch (block)
            {
                case ThinkingBlock t:
                    w.WriteStartObject();
                    w.WriteString("type", "thinking");
                    w.WriteString("thinking", t.Thinking);
                    w.WriteString("signature", t.Signature);
                    w.WriteEndObject();
                    break;
                case ToolUseBlock u:
                    w.WriteStartObject();
                    w.WriteString("type", "tool_use");
                    w.WriteString("id", u.Id);
                    w.WriteString("name", u.Name);
                    w.WritePropertyName("input");
                    w.WriteRawValue(u.InputJson, skipInputValidation: true);
                    w.WriteEndObject();
                    break;
                case TextBlock x:
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("text", x.Text);
                    w.WriteEndObject();
                    break;
            }
        }

        w.WriteEndArray();
        w.WriteString("stop_reason", reply.StopReason);
        WriteNullableString(w, "stop_sequence", reply.StopSequence);
        w.WritePropertyName("usage");
        WriteUsage(w, reply.InputTokens, reply.OutputTokens);
        WriteGuardrailAction(w, reply);
        w.WriteEndObject();
    }

    /// <summary>Bedrock's intervention marker on an InvokeModel body (top level, beside the Anthropic fields).</summary>
    private static void WriteGuardrailAction(Utf8JsonWriter w, PlannedReply reply)
    {
        if (reply.GuardrailIntervened)
        {
            w.WriteString("amazon-bedrock-guardrailAction", "INTERVENED");
        }
    }

    public static void WriteMessageStart(Utf8JsonWriter w, PlannedReply reply, string id, string model)
    {
        w.WriteStartObject();
        w.WriteString("type", "message_start");
        w.WriteStartObject("message");
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WriteStartArray("content");
        w.WriteEndArray();
        w.WriteNull("stop_reason");
        w.WriteNull("stop_sequence");
        w.WritePropertyName("usage");
        WriteUsage(w, reply.InputTokens, Math.Min(1, reply.OutputTokens));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteContentBlockStart(Utf8JsonWriter w, int index, PlannedBlock block)
    {
        w.WriteStartObject();
        w.WriteString("type", "content_block_start");
        w.WriteNumber("index", index);
        w.WriteStartObject("content_block");
        switch (block)
        {
            case ThinkingBlock:
                w.WriteString("type", "thinking");
                w.WriteString("thinking", string.Empty);
                w.WriteString("signature", string.Empty);
                break;
            case ToolUseBlock u:
                w.WriteString("type", "tool_use");
                w.WriteString("id", u.Id);
                w.WriteString("name", u.Name);
                w.WriteStartObject("input");
                w.WriteEndObject();
                break;
            default:
                w.WriteString("type", "text");
                w.WriteString("text", string.Empty);
                break;
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A delta: <c>text_delta</c>, <c>thinking_delta</c>, <c>signature_delta</c> or <c>input_json_delta</c>.</summary>
    public static void WriteDelta(Utf8JsonWriter w, int index, string deltaType, string field, string value)
    {
        w.WriteStartObject();
        w.WriteString("type", "content_block_delta");
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        w.WriteString("type", deltaType);
        w.WriteString(field, value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteContentBlockStop(Utf8JsonWriter w, int index)
    {
        w.WriteStartObject();
        w.WriteString("type", "content_block_stop");
        w.WriteNumber("index", index);
        w.WriteEndObject();
    }

    public static void WriteMessageDelta(Utf8JsonWriter w, PlannedReply reply)
    {
        w.WriteStartObject();
        w.WriteString("type", "message_delta");
        w.WriteStartObject("delta");
        w.WriteString("stop_reason", reply.StopReason);
        WriteNullableString(w, "stop_sequence", reply.StopSequence);
        w.WriteEndObject();
        w.WritePropertyName("usage");
        WriteUsage(w, reply.InputTokens, reply.OutputTokens);
        WriteGuardrailAction(w, reply);
        w.WriteEndObject();
    }

    /// <summary>The last event, carrying Bedrock's <c>amazon-bedrock-invocationMetrics</c>.</summary>
    public static void WriteMessageStop(Utf8JsonWriter w, PlannedReply reply, long invocationLatencyMs, long firstByteLatencyMs)
    {
        w.WriteStartObject();
        w.WriteString("type", "message_stop");
        StreamUsageJson.WriteInvocationMetrics(w, new InvocationMetrics(reply.InputTokens, reply.OutputTokens, invocationLatencyMs, firstByteLatencyMs));
        w.WriteEndObject();
    }

    // The usage wire names live once in the library, shared with the meter that reads them (StreamMeter).
    private static void WriteUsage(Utf8JsonWriter w, int input, int output)
        => StreamUsageJson.WriteUsage(w, new TokenUsage(input, output));

    private static void WriteNullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
