using System.Text;
using System.Text.Json;

namespace Basalt.Diagnostics.Reading;

/// <summary>
/// Reads one JSON document into <see cref="InputNode"/>s within <see cref="InputLimits"/>, with the line and
/// column of every value, so JSON inputs (credential-helper settings, gateway configuration) are read by the same
/// <see cref="FieldReader"/> and bounded the same way as YAML ones. Strings are non-plain scalars; numbers,
/// <c>true</c>, <c>false</c> and <c>null</c> are plain scalars with their JSON text. Duplicate names, comments and
/// trailing commas are errors (the apps that read these files use strict parsers).
/// </summary>
public static class JsonInputReader
{
    /// <param name="allowComments">
    /// Accept <c>//</c> and <c>/* */</c> comments and trailing commas: for files people edit by hand and that only
    /// Basalt reads (the credential helper's settings), never for files another application parses strictly.
    /// </param>
    public static InputNode? Read(ReadOnlySpan<byte> bytes, string file, InputCodes codes, InputLimits limits, ICollection<Diagnostic> diagnostics, bool allowComments = false)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(diagnostics);
        // Decoding first checks the size and the UTF-8 (Utf8JsonReader would only notice bad bytes when a string is read).
        if (InputText.Decode(bytes, file, limits, diagnostics) is null)
        {
            return null;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        var lines = new LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            MaxDepth = limits.MaxDepth + 1,
            CommentHandling = allowComments ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
            AllowTrailingCommas = allowComments,
        });
        // Each open container remembers the name it is the value of: names inside it replace the pending one.
        var stack = new Stack<(InputNodeKind Kind, SourceLocation Location, List<KeyValuePair<InputNode, InputNode>> Entries, List<InputNode> Items, HashSet<string> Names, InputNode? Name)>();
        InputNode? pendingName = null;
        InputNode? root = null;
        long total = 0;
        try
        {
            while (reader.Read())
            {
                var location = lines.Locate(file, reader.TokenStartIndex);
                InputNode? completed = null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (stack.Count >= limits.MaxDepth)
                        {
                            return Fail(diagnostics, location, $"the input nests deeper than {limits.MaxDepth} levels (nesting depth)", "flatten the structure; real files nest a few levels");
                        }

                        if (++total > limits.MaxNodes)
                        {
                            return TooManyNodes(diagnostics, location, limits);
                        }

                        stack.Push((reader.TokenType == JsonTokenType.StartObject ? InputNodeKind.Mapping : InputNodeKind.Sequence, location, [], [], new(StringComparer.Ordinal), pendingName));
                        pendingName = null;
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        var frame = stack.Pop();
                        completed = frame.Kind == InputNodeKind.Mapping ? InputNode.CreateMapping(frame.Entries, frame.Location) : InputNode.CreateSequence(frame.Items, frame.Location);
                        pendingName = frame.Name;
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (!stack.Peek().Names.Add(name))
                        {
                            return Fail(diagnostics, location, $"the name \"{Shorten(name)}\" appears twice in the same object", "keep one of the two entries", codes.DuplicateKey);
                        }

                        pendingName = InputNode.CreateScalar(name, isPlain: false, location);
                        continue;
                    default:
                        var isString = reader.TokenType == JsonTokenType.String;
                        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                        if (length > limits.MaxStringLength)
                        {
                            return Fail(diagnostics, location, $"a value is {length:N0} bytes long; the limit is {limits.MaxStringLength:N0} (string length)", "shorten the value");
                        }

                        if (++total > limits.MaxNodes)
                        {
                            return TooManyNodes(diagnostics, location, limits);
                        }

                        var text = isString ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan);
                        completed = InputNode.CreateScalar(text, isPlain: !isString, location);
                        break;
                }

                if (stack.Count == 0)
                {
                    root = completed;
                    continue;
                }

                var parent = stack.Peek();
                if (parent.Kind == InputNodeKind.Mapping)
                {
                    parent.Entries.Add(new(pendingName!, completed!));
                    pendingName = null;
                }
                else
                {
                    parent.Items.Add(completed!);
                }

                if (parent.Entries.Count + parent.Items.Count > limits.MaxCollectionSize)
                {
                    return Fail(diagnostics, location, $"an object or array has more than {limits.MaxCollectionSize:N0} entries (collection size)", "split the data");
                }
            }
        }
        catch (JsonException ex)
        {
            var line = (int)Math.Min(int.MaxValue, (ex.LineNumber ?? 0) + 1);
            var column = (int)Math.Min(int.MaxValue, (ex.BytePositionInLine ?? 0) + 1);
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, codes.Syntax, $"the input is not valid JSON: {ex.Message.Split(" LineNumber:", 2)[0]}",
                Location: new SourceLocation(file, line, column), Fix: "fix the JSON syntax at this position (quotes, commas, brackets; no comments or trailing commas)"));
            return null;
        }

        if (root is null)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, codes.Empty, "the input is empty; expected a JSON object",
                Location: new SourceLocation(file, 1, 1), Fix: "write at least '{}'"));
        }

        return root;
    }

    private static InputNode? TooManyNodes(ICollection<Diagnostic> diagnostics, SourceLocation location, InputLimits limits)
        => Fail(diagnostics, location, $"the input has more than {limits.MaxNodes:N0} values (node budget)", "split the data; real files have a few hundred values");

    private static InputNode? Fail(ICollection<Diagnostic> diagnostics, SourceLocation location, string message, string fix, string code = InputDiagnosticCodes.LimitExceeded)
    {
        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, code, message, Location: location, Fix: fix));
        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>Byte offsets where lines start, to turn a token's offset into line and column.</summary>
    private sealed class LineStarts
    {
        private readonly List<long> _starts = [0];

        public LineStarts(ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public SourceLocation Locate(string file, long offset)
        {
            var index = _starts.BinarySearch(offset);
            var line = index >= 0 ? index : ~index - 1;
            return new SourceLocation(file, line + 1, (int)Math.Min(int.MaxValue, offset - _starts[line] + 1));
        }
    }
}
