using System.Text.Json;

namespace Basalt.Policy.Routing;

/// <summary>
/// What routing rules look at (issue 12 item 4): whether the request offers tools, asks for extended thinking, and
/// its input size in tokens, estimated the way the emulator counts (ceil(UTF-8 bytes / 4) over system, message
/// text and tool definitions; docs/emulator.md "Token counts"). Read in one forward pass without building a DOM.
/// </summary>
public readonly record struct RequestShape(bool HasTools, bool HasThinking, long EstimatedInputTokens)
{
    public static RequestShape Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        long bytes = 0;
        var tools = false;
        var thinking = false;
        string? section = null;
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        if (reader.CurrentDepth == 1)
                        {
                            section = property;
                        }

                        break;
                    case JsonTokenType.StartArray when reader.CurrentDepth == 1 && section == "tools":
                        var start = reader.TokenStartIndex;
                        reader.Skip();
                        var length = reader.TokenStartIndex + 1 - start;
                        tools = length > 2;
                        bytes += length;
                        break;
                    case JsonTokenType.String when section is "system" or "messages":
                        if (property is not ("role" or "type" or "id" or "tool_use_id" or "signature" or "media_type" or "data" or "cache_control"))
                        {
                            bytes += reader.ValueSpan.Length;
                        }

                        break;
                    case JsonTokenType.String when section == "thinking" && property == "type":
                        thinking = !reader.ValueTextEquals("disabled"u8);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A malformed body is answered by the endpoint's own validation; route it on what was read.
        }

        return new RequestShape(tools, thinking, (bytes + 3) / 4);
    }
}
