using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Aws.EventStream;

namespace Basalt.Emulator.Tests.Bedrock;

/// <summary>Reads a Bedrock event-stream response with the library's decoder and unwraps each chunk's Anthropic event.</summary>
internal static class StreamEvents
{
    public static async Task<List<EventStreamMessage>> ReadFramesAsync(HttpResponseMessage response)
    {
        var frames = new List<EventStreamMessage>();
        await using var body = await response.Content.ReadAsStreamAsync();
        await foreach (var frame in EventStreamDecoder.ReadAllAsync(body))
        {
            frames.Add(frame);
        }

        return frames;
    }

    public static JsonObject Event(EventStreamMessage frame)
    {
        var payload = JsonNode.Parse(frame.Payload.Span)!.AsObject();
        return JsonNode.Parse(Convert.FromBase64String(payload["bytes"]!.GetValue<string>()))!.AsObject();
    }

    public static string Text(IEnumerable<JsonObject> events, string deltaType = "text_delta", string field = "text")
        => string.Concat(events
            .Where(e => (string?)e["type"] == "content_block_delta" && (string?)e["delta"]!["type"] == deltaType)
            .Select(e => (string?)e["delta"]![field]));

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
