using System.Text;
using System.Text.Json;

namespace Basalt.Credentials.Settings;

/// <summary>
/// Maps each property path of a JSON document (<c>profiles.work.region</c>) to the 1-based line it is on, so that
/// settings diagnostics can say file:line. <see cref="JsonDocument"/> keeps no positions; one extra
/// <see cref="Utf8JsonReader"/> pass over a small file is cheap.
/// </summary>
internal sealed class JsonLineMap
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    public JsonLineMap(ReadOnlySpan<byte> utf8)
    {
        var newlineOffsets = new List<long>();
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                newlineOffsets.Add(i);
            }
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<string>();
        var containers = new Stack<(bool IsObject, int Depth)>();
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString();
                        var full = path.Count == 0 ? pendingName! : string.Join('.', path) + "." + pendingName;
                        _lines.TryAdd(full, LineOf(newlineOffsets, reader.TokenStartIndex));
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (pendingName is not null)
                        {
                            path.Add(pendingName);
                            containers.Push((reader.TokenType == JsonTokenType.StartObject, 1));
                        }
                        else
                        {
                            containers.Push((reader.TokenType == JsonTokenType.StartObject, 0));
                        }

                        pendingName = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (containers.Count > 0 && containers.Pop().Depth == 1 && path.Count > 0)
                        {
                            path.RemoveAt(path.Count - 1);
                        }

                        break;
                    default:
                        pendingName = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Invalid JSON is reported by the parser with its own line number; the map is best effort.
        }
    }

    public static JsonLineMap FromString(string json) => new(Encoding.UTF8.GetBytes(json));

    /// <summary>The line of a property, or of its closest known parent, or 0.</summary>
    public int LineOf(string path)
    {
        var p = path;
        while (true)
        {
            if (_lines.TryGetValue(p, out var line))
            {
                return line;
            }

            var dot = p.LastIndexOf('.');
            if (dot < 0)
            {
                return 0;
            }

            p = p[..dot];
        }
    }

    private static int LineOf(List<long> newlines, long offset)
    {
        var index = newlines.BinarySearch(offset);
        return (index < 0 ? ~index : index) + 1;
    }
}
