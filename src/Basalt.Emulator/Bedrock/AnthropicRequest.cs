using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// A validated Anthropic Messages body as Bedrock takes it (bedrock-and-clients §1): <c>anthropic_version</c> =
/// <c>bedrock-2023-05-31</c>, <c>messages</c> and <c>max_tokens</c> required; <c>model</c> and <c>stream</c> are
/// not allowed (the model is in the path, streaming is the operation); <c>anthropic_beta</c> is a list of strings;
/// every other field passes through. Messages mimic Bedrock's JSON-schema wording so clients that read them
/// behave as with the real service.
/// </summary>
internal sealed class AnthropicRequest : IDisposable
{
    public const string BedrockVersion = "bedrock-2023-05-31";

    private readonly JsonDocument _document;

    private AnthropicRequest(JsonDocument document)
    {
        _document = document;
    }

    public JsonElement Root => _document.RootElement;

    public int MaxTokens { get; private set; }

    /// <summary>True when <c>thinking.type</c> is <c>enabled</c> or <c>adaptive</c>: the reply starts with a thinking block.</summary>
    public bool ThinkingEnabled { get; private set; }

    public HashSet<string> ToolNames { get; } = new(StringComparer.Ordinal);

    public List<string> StopSequences { get; } = [];

    /// <summary>The text of the last user turn (string content or its text blocks, joined by newlines).</summary>
    public string PromptText { get; private set; } = string.Empty;

    public List<ToolResultTurn> ToolResults { get; } = [];

    public int MessageCount { get; private set; }

    public int InputTokens => TokenCounter.CountInput(Root);

    /// <summary>Parses and validates; on failure returns null and the ValidationException to send.</summary>
    public static AnthropicRequest? Parse(ReadOnlyMemory<byte> body, BedrockModelDefinition? model, out BedrockError? error)
    {
        JsonDocument document;
        try
        {
            // JsonDocument checks UTF-8 only when a string is read, which would surface as an exception deep in
            // validation (a 500 with no body); Bedrock answers invalid UTF-8 as a malformed request (issue 14).
            if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            {
                throw new JsonException("invalid UTF-8");
            }

            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            error = BedrockError.Validation("Malformed input request, please reformat your input and try again.");
            return null;
        }

        var request = new AnthropicRequest(document);
        error = request.Validate(model);
        if (error is null)
        {
            return request;
        }

        request.Dispose();
        return null;
    }

    public void Dispose() => _document.Dispose();

    private static BedrockError Malformed(string detail) => BedrockError.Validation($"Malformed input request: {detail}, please reformat your input and try again.");

    private BedrockError? Validate(BedrockModelDefinition? model)
    {
        var root = Root;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Malformed($"#: expected type: JSONObject, found: {SchemaType(root)}");
        }

        // Bedrock's schema errors name the first problem; required keys before forbidden ones, as observed.
        foreach (var required in (string[])["anthropic_version", "max_tokens", "messages"])
        {
            if (!root.TryGetProperty(required, out _))
            {
                return Malformed($"#: required key [{required}] not found");
            }
        }

        foreach (var forbidden in (string[])["model", "stream"])
        {
            if (root.TryGetProperty(forbidden, out _))
            {
                return Malformed($"#: extraneous key [{forbidden}] is not permitted");
            }
        }

        var version = root.GetProperty("anthropic_version");
        if (version.ValueKind != JsonValueKind.String)
        {
            return Malformed($"#/anthropic_version: expected type: String, found: {SchemaType(version)}");
        }

        if (version.GetString() != BedrockVersion)
        {
            return BedrockError.Validation($"Invalid anthropic_version: '{version.GetString()}'. The only supported value on Amazon Bedrock is '{BedrockVersion}'.");
        }

        var maxTokens = root.GetProperty("max_tokens");
        if (maxTokens.ValueKind != JsonValueKind.Number || !maxTokens.TryGetInt32(out var max))
        {
            return Malformed($"#/max_tokens: expected type: Integer, found: {SchemaType(maxTokens)}");
        }

        if (max < 1)
        {
            return Malformed($"#/max_tokens: {max} is not greater or equal to 1");
        }

        if (model is not null && max > model.MaxOutputTokens)
        {
            return BedrockError.Validation($"max_tokens: {max} > {model.MaxOutputTokens}, which is the maximum allowed number of output tokens for {model.ResponseName}");
        }

        MaxTokens = max;
        if (root.TryGetProperty("anthropic_beta", out var beta)
            && (beta.ValueKind != JsonValueKind.Array || beta.EnumerateArray().Any(b => b.ValueKind != JsonValueKind.String)))
        {
            return Malformed($"#/anthropic_beta: expected type: JSONArray of String, found: {SchemaType(beta)}");
        }

        return ValidateThinking(root, max) ?? ValidateTools(root) ?? ValidateStopSequences(root) ?? ValidateMessages(root, model);
    }

    private BedrockError? ValidateThinking(JsonElement root, int max)
    {
        if (!root.TryGetProperty("thinking", out var thinking))
        {
            return null;
        }

        if (thinking.ValueKind != JsonValueKind.Object || !thinking.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return BedrockError.Validation("thinking: Input should be an object with a 'type' of enabled, disabled or adaptive");
        }

        switch (type.GetString())
        {
            case "disabled":
                return null;
            case "adaptive":
                ThinkingEnabled = true;
                return null;
            case "enabled":
                if (!thinking.TryGetProperty("budget_tokens", out var budget) || budget.ValueKind != JsonValueKind.Number || !budget.TryGetInt32(out var b))
                {
                    return BedrockError.Validation("thinking.enabled.budget_tokens: Field required");
                }

                if (b < 1024)
                {
                    return BedrockError.Validation("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
                }

                if (b >= max)
                {
                    return BedrockError.Validation("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
                }

                ThinkingEnabled = true;
                return null;
            default:
                return BedrockError.Validation($"thinking.type: Input should be 'enabled', 'disabled' or 'adaptive', got '{type.GetString()}'");
        }
    }

    private BedrockError? ValidateTools(JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools))
        {
            return null;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            return Malformed($"#/tools: expected type: JSONArray, found: {SchemaType(tools)}");
        }

        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return BedrockError.Validation($"tools.{i}.name: Field required");
            }

            ToolNames.Add(name.GetString()!);
            i++;
        }

        return null;
    }

    private BedrockError? ValidateStopSequences(JsonElement root)
    {
        if (!root.TryGetProperty("stop_sequences", out var stops))
        {
            return null;
        }

        if (stops.ValueKind != JsonValueKind.Array || stops.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
        {
            return Malformed($"#/stop_sequences: expected type: JSONArray of String, found: {SchemaType(stops)}");
        }

        StopSequences.AddRange(stops.EnumerateArray().Select(s => s.GetString()!).Where(s => s.Length > 0));
        return null;
    }

    private BedrockError? ValidateMessages(JsonElement root, BedrockModelDefinition? model)
    {
        var messages = root.GetProperty("messages");
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return Malformed($"#/messages: expected type: JSONArray, found: {SchemaType(messages)}");
        }

        MessageCount = messages.GetArrayLength();
        if (MessageCount == 0)
        {
            return Malformed("#/messages: expected minimum item count: 1, found: 0");
        }

        var toolNamesById = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonElement? lastUser = null;
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                return Malformed($"#/messages/{i}: expected type: JSONObject, found: {SchemaType(message)}");
            }

            // A 'system' turn inside messages is accepted only by models whose catalogue row says so (Claude Code
            // 2.1.332 sends one to its default model; gateway.md §1.0 capture).
            if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                || !(role.GetString() is "user" or "assistant" || (role.GetString() == "system" && model?.AcceptsSystemMessages == true)))
            {
                return BedrockError.Validation($"messages.{i}.role: Input should be 'user' or 'assistant'");
            }

            if (!message.TryGetProperty("content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
            {
                return BedrockError.Validation($"messages.{i}.content: Input should be a valid string or list of content blocks");
            }

            if (content.ValueKind == JsonValueKind.Array)
            {
                var j = 0;
                foreach (var block in content.EnumerateArray())
                {
                    if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                    {
                        return BedrockError.Validation($"messages.{i}.content.{j}.type: Field required");
                    }

                    // A text block must carry its text (Bedrock answers {"type":"text"} with a ValidationException).
                    if (type.GetString() == "text" && (!block.TryGetProperty("text", out var blockText) || blockText.ValueKind != JsonValueKind.String))
                    {
                        return BedrockError.Validation($"messages.{i}.content.{j}.text: Field required");
                    }

                    if (type.GetString() == "tool_use" && block.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                        && block.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                    {
                        toolNamesById[id.GetString()!] = name.GetString()!;
                    }

                    j++;
                }
            }

            if (role.GetString() == "user")
            {
                lastUser = content;
            }

            i++;
        }

        if (lastUser is { } user)
        {
            ReadLastUserTurn(user, toolNamesById);
        }

        return null;
    }

    private void ReadLastUserTurn(JsonElement content, Dictionary<string, string> toolNamesById)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            PromptText = content.GetString()!;
            return;
        }

        var text = new StringBuilder();
        foreach (var block in content.EnumerateArray())
        {
            switch (block.GetProperty("type").GetString())
            {
                case "text" when block.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String:
                    if (text.Length > 0)
                    {
                        text.Append('\n');
                    }

                    text.Append(t.GetString());
                    break;
                case "tool_result":
                    var id = block.TryGetProperty("tool_use_id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : string.Empty;
                    var resultText = block.TryGetProperty("content", out var c) ? PlainText(c) : string.Empty;
                    ToolResults.Add(new ToolResultTurn(id, toolNamesById.GetValueOrDefault(id), resultText));
                    break;
            }
        }

        PromptText = text.ToString();
    }

    private static string PlainText(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        return string.Join('\n', value.EnumerateArray()
            .Where(b => b.ValueKind == JsonValueKind.Object && b.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(b => b.GetProperty("text").GetString()));
    }

    private static string SchemaType(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "JSONObject",
        JsonValueKind.Array => "JSONArray",
        JsonValueKind.String => "String",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "Integer" : "BigDecimal",
        JsonValueKind.True or JsonValueKind.False => "Boolean",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
