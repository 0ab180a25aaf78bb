using Basalt.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Basalt.Deployment.Yaml;

/// <summary>
/// Reads YAML text into <see cref="DeploymentNode"/>s with YamlDotNet's <see cref="YamlStream"/> so every node
/// carries its start mark. Syntax errors (including duplicate keys) become one diagnostic at the mark where
/// YamlDotNet stopped, never an exception.
/// </summary>
internal static class DeploymentYamlReader
{
    public static DeploymentNode? Read(string text, string file, List<Diagnostic> diagnostics)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            // The message of a YamlException names the construct, not the value, so it is safe to show.
            var message = ex.InnerException is not null && ex.InnerException.Message.Length > 0 ? ex.InnerException.Message : ex.Message;
            var duplicate = message.Contains("same key", StringComparison.OrdinalIgnoreCase) || message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase);
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error,
                duplicate ? DeploymentDiagnosticCodes.DuplicateKey : DeploymentDiagnosticCodes.YamlSyntax,
                duplicate ? "a key appears twice in the same mapping" : $"the file is not valid YAML: {StripMarks(message)}",
                Location: Location(file, ex.Start),
                Fix: duplicate ? "keep one of the two entries" : "fix the YAML syntax at this position (indentation, quotes, ':' after keys)"));
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // Some malformed input trips YamlDotNet's scanner without a YamlException; report where parsing stopped.
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.YamlSyntax,
                "the file is not valid YAML after this position (an unclosed '[', '{' or quote?)",
                Location: Location(file, parser.LastMark), Fix: "close every '[', '{' and quote, and check the indentation"));
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.EmptyFile,
                "the deployment file is empty; expected a mapping with at least 'provider', 'auth' and 'models'",
                Location: new SourceLocation(file, 1, 1), Fix: "run 'basalt deploy init' to write a starting basalt.yaml"));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.YamlSyntax,
                "the file holds more than one YAML document; expected exactly one",
                Location: Location(file, stream.Documents[1].RootNode.Start), Fix: "remove the second '---' document"));
        }

        return Convert(stream.Documents[0].RootNode, file);
    }

    private static DeploymentNode Convert(YamlNode node, string file)
    {
        var location = Location(file, node.Start);
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<DeploymentNode, DeploymentNode>>(mapping.Children.Count);
                foreach (var (key, value) in mapping.Children)
                {
                    entries.Add(new(Convert(key, file), Convert(value, file)));
                }

                return DeploymentNode.CreateMapping(entries, location);
            case YamlSequenceNode sequence:
                return DeploymentNode.CreateSequence(sequence.Children.Select(c => Convert(c, file)).ToList(), location);
            case YamlScalarNode scalar:
                var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Tag.IsEmpty;
                return DeploymentNode.CreateScalar(scalar.Value ?? string.Empty, plain, location);
            default:
                // Aliases are resolved by the representation model; anything else is an empty value.
                return DeploymentNode.CreateScalar(string.Empty, isPlain: true, location);
        }
    }

    /// <summary>Remembers the end of the last event read, so a scanner failure can still be placed in the file.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark LastMark { get; private set; } = Mark.Empty;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
            {
                LastMark = current.End;
            }

            return moved;
        }
    }

    private static SourceLocation Location(string file, Mark mark) => new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static string StripMarks(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; the location is ours to print.
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && i > 0 ? message[(i + 3)..] : message;
    }
}
