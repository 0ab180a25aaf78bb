using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Basalt.Bedrock.Models;

namespace Basalt.Gateway.Translation;

/// <summary>
/// Turns an Anthropic Messages request into the Bedrock InvokeModel body (bedrock-and-clients §1, gateway.md §1.4):
/// drops <c>model</c> and <c>stream</c>, adds <c>anthropic_version</c>, moves the <c>anthropic-beta</c> header into the
/// body's <c>anthropic_beta</c>, and applies the model's beta and field rules (pass, strip, map or reject).
/// <para>
/// Surgical: only the top-level envelope (and a <c>tools</c> entry that loses a field) is rebuilt; every other
/// value is copied as the raw bytes that arrived (<see cref="JsonMarshal.GetRawUtf8Value"/>), never re-serialized,
/// so thinking signatures, whitespace inside messages and number spellings survive byte for byte
/// (re-serializing proxies broke signatures: CLIProxyAPI#2172, gateway.md §1.4).
/// </para>
/// </summary>
internal static class AnthropicToBedrock
{
    public const string BedrockAnthropicVersion = "bedrock-2023-05-31";

    private static readonly string[] ToolFields = ["strict", "defer_loading", "eager_input_streaming"];

    /// <summary>Translates <paramref name="body"/>; the result is written to <paramref name="output"/>.</summary>
    /// <exception cref="TranslationError">A beta or field the model's rules reject, or a body that is not a JSON object.</exception>
    public static TranslationSummary Translate(JsonElement root, string? betaHeader, FeatureRules rules, IBufferWriter<byte> output, bool ensureMaxTokens = false)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TranslationError("the request body must be a JSON object");
        }

        var betas = CollectBetas(root, betaHeader, rules, out var strippedBetas);
        var stripped = new List<string>(strippedBetas);

        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartObject();
        var hasVersion = root.TryGetProperty("anthropic_version", out _);
        if (!hasVersion)
        {
            writer.WriteString("anthropic_version"u8, BedrockAnthropicVersion);
        }

        if (ensureMaxTokens && !root.TryGetProperty("max_tokens", out _))
        {
            // count_tokens bodies carry no max_tokens, but CountTokens validates an InvokeModel body, which needs one.
            writer.WriteNumber("max_tokens"u8, 1);
        }

        foreach (var property in root.EnumerateObject())
        {
            var name = property.Name;
            switch (name)
            {
                case "model":
                case "stream":
                case "anthropic_beta":
                    continue;
                case "tools" when property.Value.ValueKind == JsonValueKind.Array:
                    WriteTools(writer, property, rules, stripped);
                    continue;
                case "thinking" when property.Value.ValueKind == JsonValueKind.Object
                    && property.Value.TryGetProperty("type", out var type) && type.ValueEquals("adaptive"u8):
                    var thinking = rules.Field("thinking.type=adaptive");
                    switch (thinking.Action)
                    {
                        case FeatureAction.Reject:
                            throw new TranslationError($"thinking type 'adaptive' is not supported by this model on Amazon Bedrock ({thinking.Source})");
                        case FeatureAction.Strip:
                            stripped.Add("thinking.type=adaptive");
                            continue;
                        case FeatureAction.Map:
                            WriteMappedThinking(writer, root);
                            stripped.Add("thinking.type=adaptive→enabled");
                            continue;
                    }

                    break;
                default:
                    var rule = rules.Field(name);
                    if (rule.Action == FeatureAction.Reject)
                    {
                        throw new TranslationError($"'{name}' is not supported by this model on Amazon Bedrock ({rule.Source})");
                    }

                    if (rule.Action == FeatureAction.Strip)
                    {
                        stripped.Add(name);
                        continue;
                    }

                    break;
            }

            writer.WritePropertyName(name);
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(property.Value), skipInputValidation: true);
        }

        if (betas.Count > 0)
        {
            writer.WriteStartArray("anthropic_beta"u8);
            foreach (var beta in betas)
            {
                writer.WriteStringValue(beta);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.Flush();
        return new TranslationSummary(betas, stripped);
    }

    /// <summary>
    /// The Bedrock-format side (a body already in Bedrock's shape, e.g. Claude Code in Bedrock mode): only
    /// <c>anthropic_beta</c> goes through the same beta table as the Anthropic side, so a beta Bedrock answers
    /// "invalid beta flag" for is stripped or mapped here too (gateway.md §1.4). Returns false, writing nothing,
    /// when every beta passes unchanged: the body is then forwarded byte for byte (gateway.md §1.2).
    /// </summary>
    /// <exception cref="TranslationError">A beta the model's rules reject, or an <c>anthropic_beta</c> that is not a list of strings.</exception>
    public static bool TryRewriteBetas(JsonElement root, FeatureRules rules, IBufferWriter<byte> output, out TranslationSummary summary)
    {
        summary = new TranslationSummary([], []);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("anthropic_beta", out var incoming))
        {
            return false;
        }

        var betas = CollectBetas(root, null, rules, out var stripped);
        summary = new TranslationSummary(betas, stripped);
        if (betas.Count == incoming.GetArrayLength() && incoming.EnumerateArray().Select(b => b.GetString()).SequenceEqual(betas, StringComparer.Ordinal))
        {
            return false;
        }

        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartObject();
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals("anthropic_beta"u8))
            {
                if (betas.Count > 0)
                {
                    writer.WriteStartArray("anthropic_beta"u8);
                    foreach (var beta in betas)
                    {
                        writer.WriteStringValue(beta);
                    }

                    writer.WriteEndArray();
                }

                continue;
            }

            // Every other property is copied as raw bytes: thinking signatures and the rest stay intact.
            writer.WritePropertyName(property.Name);
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(property.Value), skipInputValidation: true);
        }

        writer.WriteEndObject();
        writer.Flush();
        return true;
    }

    /// <summary>Header betas (comma list) then body betas, de-duplicated, each through its rule.</summary>
    private static List<string> CollectBetas(JsonElement root, string? header, FeatureRules rules, out List<string> stripped)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        stripped = [];
        var incoming = new List<string>();
        if (!string.IsNullOrWhiteSpace(header))
        {
            foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                incoming.Add(part);
            }
        }

        if (root.TryGetProperty("anthropic_beta", out var body))
        {
            if (body.ValueKind != JsonValueKind.Array)
            {
                throw new TranslationError("anthropic_beta must be a list of strings");
            }

            foreach (var item in body.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    throw new TranslationError("anthropic_beta must be a list of strings");
                }

                incoming.Add(item.GetString()!);
            }
        }

        foreach (var beta in incoming)
        {
            var rule = rules.Beta(beta);
            switch (rule.Action)
            {
                case FeatureAction.Reject:
                    throw new TranslationError($"anthropic-beta '{beta}' is not supported by this model on Amazon Bedrock ({rule.Source})");
                case FeatureAction.Strip:
                    stripped.Add(beta);
                    break;
                case FeatureAction.Map when !string.IsNullOrEmpty(rule.MapTo):
                    if (seen.Add(rule.MapTo))
                    {
                        result.Add(rule.MapTo);
                    }

                    break;
                default:
                    if (seen.Add(beta))
                    {
                        result.Add(beta);
                    }

                    break;
            }
        }

        return result;
    }

    private static void WriteTools(Utf8JsonWriter writer, JsonProperty tools, FeatureRules rules, List<string> stripped)
    {
        Span<FeatureAction> actions = stackalloc FeatureAction[ToolFields.Length];
        var anyEdit = false;
        for (var i = 0; i < ToolFields.Length; i++)
        {
            var rule = rules.Field("tools[]." + ToolFields[i]);
            actions[i] = rule.Action;
            anyEdit |= rule.Action is FeatureAction.Strip or FeatureAction.Reject or FeatureAction.Map;
        }

        writer.WritePropertyName(tools.Name);
        if (!anyEdit || !NeedsEdit(tools.Value, actions))
        {
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(tools.Value), skipInputValidation: true);
            return;
        }

        writer.WriteStartArray();
        foreach (var tool in tools.Value.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object)
            {
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(tool), skipInputValidation: true);
                continue;
            }

            writer.WriteStartObject();
            foreach (var field in tool.EnumerateObject())
            {
                var index = Array.IndexOf(ToolFields, field.Name);
                if (index >= 0 && actions[index] == FeatureAction.Reject)
                {
                    throw new TranslationError($"tool field '{field.Name}' is not supported by this model on Amazon Bedrock ({rules.Field("tools[]." + field.Name).Source})");
                }

                if (index >= 0 && actions[index] is FeatureAction.Strip or FeatureAction.Map)
                {
                    stripped.Add("tools[]." + field.Name);
                    continue;
                }

                writer.WritePropertyName(field.Name);
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(field.Value), skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static bool NeedsEdit(JsonElement tools, ReadOnlySpan<FeatureAction> actions)
    {
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            for (var i = 0; i < ToolFields.Length; i++)
            {
                if (actions[i] != FeatureAction.Pass && tool.TryGetProperty(ToolFields[i], out _))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Adaptive thinking on a model that only knows budgeted thinking: <c>enabled</c> with half of
    /// <c>max_tokens</c> as budget (at least Bedrock's minimum of 1024, below <c>max_tokens</c>).
    /// </summary>
    private static void WriteMappedThinking(Utf8JsonWriter writer, JsonElement root)
    {
        var max = root.TryGetProperty("max_tokens", out var m) && m.TryGetInt64(out var v) ? v : 4096;
        if (max <= 1024)
        {
            return;
        }

        writer.WriteStartObject("thinking"u8);
        writer.WriteString("type"u8, "enabled"u8);
        writer.WriteNumber("budget_tokens"u8, Math.Clamp(max / 2, 1024, max - 1));
        writer.WriteEndObject();
    }
}
