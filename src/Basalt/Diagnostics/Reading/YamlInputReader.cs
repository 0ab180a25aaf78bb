using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Basalt.Diagnostics.Reading;

/// <summary>
/// Reads one YAML document into <see cref="InputNode"/>s straight from YamlDotNet's parser events, within
/// <see cref="InputLimits"/>. Building from events (instead of <c>YamlStream</c> and a recursive copy) is what
/// makes the limits hold by construction: the tree is built with an explicit stack (no recursion, so
/// <c>[[[[…]]]]</c> cannot overflow the call stack), an alias adds its anchor's expanded size to the node budget
/// before anything is built (nine levels of nine aliases stop after 100,000 nodes, in milliseconds, instead of
/// 15 GB), an alias to a node that is still open (<c>a: &amp;a [*a]</c>) is refused, and parsing stops at the
/// first problem. Every problem is one diagnostic at file:line:column; nothing throws.
/// </summary>
public static class YamlInputReader
{
    /// <summary>Decodes <paramref name="bytes"/> (strict UTF-8) and reads the document.</summary>
    public static InputNode? Read(ReadOnlySpan<byte> bytes, string file, InputCodes codes, InputLimits limits, ICollection<Diagnostic> diagnostics)
    {
        var text = InputText.Decode(bytes, file, limits, diagnostics);
        return text is null ? null : Read(text, file, codes, limits, diagnostics);
    }

    public static InputNode? Read(string text, string file, InputCodes codes, InputLimits limits, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (text.Length > limits.MaxInputBytes)
        {
            diagnostics.Add(InputText.TooLarge(file, text.Length, limits));
            return null;
        }

        var builder = new Builder(file, codes, limits, diagnostics);
        var parser = new Parser(new StringReader(text));
        var lastMark = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                lastMark = current.End;
                if (!builder.Accept(current))
                {
                    return builder.Failed ? null : builder.Result;
                }
            }
        }
        catch (YamlException ex)
        {
            // The message of a YamlException names the construct, not the value, so it is safe to show.
            var message = ex.InnerException is not null && ex.InnerException.Message.Length > 0 ? ex.InnerException.Message : ex.Message;
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, codes.Syntax, $"the input is not valid YAML: {StripMarks(message)}",
                Location: ErrorLocation(file, text, ex, message, lastMark),
                Fix: "fix the YAML syntax at this position (indentation with spaces, not tabs; quotes; ':' after keys)"));
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // Some malformed input trips YamlDotNet's scanner without a YamlException; report where parsing stopped.
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, codes.Syntax,
                "the input is not valid YAML after this position (an unclosed '[', '{' or quote?)",
                Location: Location(file, lastMark), Fix: "close every '[', '{' and quote, and check the indentation"));
            return null;
        }

        if (builder.Failed)
        {
            return null;
        }

        if (builder.Result is null)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, codes.Empty, "the input is empty; expected a mapping",
                Location: new SourceLocation(file, 1, 1), Fix: "write at least one 'key: value' line"));
        }

        return builder.Result;
    }

    /// <summary>
    /// Where a syntax error is. For a tab used as indentation, the tab itself: YamlDotNet reports it at 1:1 or at the
    /// end of the previous value, so it is looked for from there on. Otherwise YamlDotNet's position, or, when it
    /// has none (1:1), the end of the last event read.
    /// </summary>
    private static SourceLocation ErrorLocation(string file, string text, YamlException ex, string message, Mark lastMark)
    {
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            // The scanner may also report a tab at the end of the value before it (7:13 for a tab opening line 8):
            // look for the tab itself from there on.
            var lines = text.Split('\n');
            var from = ex.Start.Index > 0 ? ex.Start.Line : lastMark.Line;
            for (var i = (int)Math.Max(0, from - 1); i < lines.Length; i++)
            {
                var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
                var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
                if (tab >= 0 && tab < indent + 1)
                {
                    return new SourceLocation(file, i + 1, tab + 1);
                }
            }
        }

        if (ex.Start.Index > 0 || lastMark.Index == 0)
        {
            return Location(file, ex.Start);
        }

        return Location(file, lastMark);
    }

    internal static SourceLocation Location(string file, Mark mark)
        => new(file, (int)Math.Clamp(mark.Line, 1, int.MaxValue), (int)Math.Clamp(mark.Column, 1, int.MaxValue));

    private static string StripMarks(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; the location is ours to print.
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && i > 0 ? message[(i + 3)..] : message;
    }

    private sealed class Frame(InputNodeKind kind, SourceLocation location, string? anchor)
    {
        public InputNodeKind Kind { get; } = kind;

        public SourceLocation Location { get; } = location;

        public string? Anchor { get; } = anchor;

        public List<KeyValuePair<InputNode, InputNode>> Entries { get; } = [];

        public List<InputNode> Items { get; } = [];

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public InputNode? PendingKey { get; set; }

        /// <summary>Nodes under this one with aliases expanded, itself included.</summary>
        public long Size { get; set; } = 1;
    }

    private sealed class Builder(string file, InputCodes codes, InputLimits limits, ICollection<Diagnostic> diagnostics)
    {
        private readonly Stack<Frame> _stack = new();
        private readonly Dictionary<string, (InputNode Node, long Size)> _anchors = new(StringComparer.Ordinal);
        private long _total;
        private int _documents;

        public InputNode? Result { get; private set; }

        public bool Failed { get; private set; }

        /// <summary>Takes one event; false stops reading (a problem, or a second document).</summary>
        public bool Accept(ParsingEvent e)
        {
            switch (e)
            {
                case DocumentStart ds when !ds.IsImplicit || _documents > 0 || Result is not null:
                    _documents++;
                    if (_documents > 1)
                    {
                        return Fail(codes.Syntax, e.Start, "the input holds more than one YAML document; expected exactly one", "remove the second '---' document");
                    }

                    return true;
                case DocumentStart:
                    _documents++;
                    return true;
                case MappingStart ms:
                    return Open(InputNodeKind.Mapping, ms.Anchor, e.Start);
                case SequenceStart ss:
                    return Open(InputNodeKind.Sequence, ss.Anchor, e.Start);
                case MappingEnd or SequenceEnd:
                    return Close();
                case Scalar scalar:
                    if (scalar.Value.Length > limits.MaxStringLength)
                    {
                        return Limit(e.Start, $"a value is {scalar.Value.Length:N0} characters long; the limit is {limits.MaxStringLength:N0} (string length)",
                            "shorten the value; long data belongs in a file referenced from here");
                    }

                    var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Tag.IsEmpty;
                    var node = InputNode.CreateScalar(scalar.Value, plain, Location(file, e.Start));
                    if (!Count(1, e.Start))
                    {
                        return false;
                    }

                    if (!scalar.Anchor.IsEmpty)
                    {
                        _anchors[scalar.Anchor.Value] = (node, 1);
                    }

                    return Add(node, 1, e.Start);
                case AnchorAlias alias:
                    var name = alias.Value.Value;
                    if (_stack.Any(f => f.Anchor == name))
                    {
                        return Fail(codes.InvalidValue, e.Start, $"the alias '*{name}' refers to a node that contains it (a structure that never ends)",
                            "write the values out instead of referring to the enclosing node");
                    }

                    if (!_anchors.TryGetValue(name, out var anchored))
                    {
                        return Fail(codes.Syntax, e.Start, $"the alias '*{name}' refers to no anchor '&{name}' before it", $"define '&{name}' on a value above this line, or write the value here");
                    }

                    return Count(anchored.Size, e.Start) && Add(anchored.Node, anchored.Size, e.Start);
                default:
                    return true;
            }
        }

        private bool Open(InputNodeKind kind, AnchorName anchor, Mark start)
        {
            if (_stack.Count >= limits.MaxDepth)
            {
                return Limit(start, $"the input nests deeper than {limits.MaxDepth} levels (nesting depth)", "flatten the structure; real files nest a few levels");
            }

            if (!Count(1, start))
            {
                return false;
            }

            _stack.Push(new Frame(kind, Location(file, start), anchor.IsEmpty ? null : anchor.Value));
            return true;
        }

        private bool Close()
        {
            var frame = _stack.Pop();
            if (frame.Kind == InputNodeKind.Mapping && frame.PendingKey is not null)
            {
                frame.Entries.Add(new(frame.PendingKey, InputNode.CreateScalar(string.Empty, true, frame.PendingKey.Location)));
            }

            var node = frame.Kind == InputNodeKind.Mapping ? InputNode.CreateMapping(frame.Entries, frame.Location) : InputNode.CreateSequence(frame.Items, frame.Location);
            if (frame.Anchor is not null)
            {
                _anchors[frame.Anchor] = (node, frame.Size);
            }

            return _stack.Count == 0 ? SetRoot(node) : Add(node, frame.Size, default, counted: true);
        }

        private bool SetRoot(InputNode node)
        {
            Result ??= node;
            return true;
        }

        private bool Add(InputNode node, long size, Mark start, bool counted = false)
        {
            _ = counted;
            if (_stack.Count == 0)
            {
                return SetRoot(node);
            }

            var parent = _stack.Peek();
            parent.Size += size;
            if (parent.Kind == InputNodeKind.Sequence)
            {
                parent.Items.Add(node);
                return parent.Items.Count <= limits.MaxCollectionSize || TooMany(node);
            }

            if (parent.PendingKey is null)
            {
                if (node.Kind == InputNodeKind.Scalar && !parent.Keys.Add(node.Scalar!))
                {
                    return Fail(codes.DuplicateKey, start.Line > 0 ? start : Mark.Empty, node.Location, "a key appears twice in the same mapping", "keep one of the two entries");
                }

                parent.PendingKey = node;
                return true;
            }

            parent.Entries.Add(new(parent.PendingKey, node));
            parent.PendingKey = null;
            return parent.Entries.Count <= limits.MaxCollectionSize || TooMany(node);
        }

        private bool TooMany(InputNode node)
        {
            Failed = true;
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, InputDiagnosticCodes.LimitExceeded,
                $"a mapping or list has more than {limits.MaxCollectionSize:N0} entries (collection size)", Location: node.Location,
                Fix: "split the data; real files have a few dozen entries per section"));
            return false;
        }

        private bool Count(long size, Mark start)
        {
            _total += size;
            return _total <= limits.MaxNodes
                || Limit(start, $"the input expands to more than {limits.MaxNodes:N0} nodes once aliases are expanded (alias expansion budget)",
                    "write the values out, or use fewer nested '*alias' references; real files need a few hundred nodes");
        }

        private bool Limit(Mark start, string message, string fix) => Fail(InputDiagnosticCodes.LimitExceeded, start, message, fix);

        private bool Fail(string code, Mark start, string message, string fix)
            => Fail(code, start, Location(file, start), message, fix);

        private bool Fail(string code, Mark start, SourceLocation location, string message, string fix)
        {
            _ = start;
            Failed = true;
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, code, message, Location: location, Fix: fix));
            return false;
        }
    }
}
