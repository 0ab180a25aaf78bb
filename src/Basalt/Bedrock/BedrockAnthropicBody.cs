using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Bedrock;

/// <summary>
/// The Anthropic Messages body as Bedrock takes it (spec bedrock-and-clients §1): the request minus <c>model</c>
/// and <c>stream</c>, plus <c>"anthropic_version": "bedrock-2023-05-31"</c>, with the betas that the Anthropic API
/// takes in the <c>anthropic-beta</c> header moved into an <c>anthropic_beta</c> array. Every other field passes
/// through untouched, in order.
/// </summary>
public static class BedrockAnthropicBody
{
    public const string AnthropicVersion = "bedrock-2023-05-31";

    /// <summary>Converts a Messages request (JSON bytes) into a Bedrock InvokeModel body.</summary>
    public static byte[] FromMessagesRequest(ReadOnlySpan<byte> messagesRequestJson, IEnumerable<string>? betas = null)
    {
        var node = JsonNode.Parse(messagesRequestJson) as JsonObject
            ?? throw new JsonException("An Anthropic Messages request is a JSON object.");
        return ToUtf8(FromMessagesRequest(node, betas));
    }

    /// <summary>Converts a Messages request; the input is not modified.</summary>
    public static JsonObject FromMessagesRequest(JsonObject messagesRequest, IEnumerable<string>? betas = null)
    {
        ArgumentNullException.ThrowIfNull(messagesRequest);
        var body = new JsonObject();
        var allBetas = new List<string>();
        foreach (var (name, value) in messagesRequest)
        {
            switch (name)
            {
                case "model" or "stream":
                    break;
                case "anthropic_beta" when value is JsonArray existing:
                    allBetas.AddRange(existing.Select(b => b?.GetValueKind() == JsonValueKind.String ? b.GetValue<string>() : null).OfType<string>());
                    break;
                default:
                    body[name] = value?.DeepClone();
                    break;
            }
        }

        if (!body.ContainsKey("anthropic_version"))
        {
            body["anthropic_version"] = AnthropicVersion;
        }

        allBetas.AddRange(betas ?? []);
        var distinct = allBetas.Where(b => !string.IsNullOrWhiteSpace(b)).Select(b => b.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 0)
        {
            var array = new JsonArray();
            foreach (var beta in distinct)
            {
                array.Add((JsonNode?)JsonValue.Create(beta));
            }

            body["anthropic_beta"] = array;
        }

        return body;
    }

    /// <summary>Splits an <c>anthropic-beta</c> header (comma list, possibly repeated) into beta names.</summary>
    public static IReadOnlyList<string> ParseBetaHeader(IEnumerable<string?>? headerValues)
        => [.. (headerValues ?? []).SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];

    public static byte[] ToUtf8(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            node.WriteTo(writer);
        }

        return stream.ToArray();
    }
}
