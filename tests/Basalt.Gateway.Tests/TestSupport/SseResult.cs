using System.Text;
using System.Text.Json.Nodes;

namespace Basalt.Gateway.Tests.TestSupport;

/// <summary>An Anthropic SSE answer read whole: status, events in order, the text of the text deltas, and any error event.</summary>
public sealed record SseResult(int Status, string? Upstream, IReadOnlyList<string> Events, string Text, JsonNode? Error, string Raw)
{
    public static SseResult Parse(int status, string? upstream, string raw)
    {
        var events = new List<string>();
        var text = new StringBuilder();
        JsonNode? error = null;
        if (status != 200)
        {
            return new SseResult(status, upstream, events, string.Empty, JsonNode.Parse(raw), raw);
        }

        foreach (var block in raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?[7..];
            var data = lines.FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?[6..];
            if (name is null || data is null)
            {
                continue;
            }

            events.Add(name);
            var json = JsonNode.Parse(data)!;
            if (name == "content_block_delta" && (string?)json["delta"]!["type"] == "text_delta")
            {
                text.Append((string)json["delta"]!["text"]!);
            }

            if (name == "error")
            {
                error = json;
            }
        }

        return new SseResult(status, upstream, events, text.ToString(), error, raw);
    }
}
