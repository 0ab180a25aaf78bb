using System.Globalization;
using System.Xml;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Parses an XML property list (Apple's PropertyList-1.0 DTD) into <see cref="PlistNode"/>s that remember their
/// line. The DTD is ignored, never fetched, and entities are not expanded (no XXE, no entity bombs).
/// </summary>
internal static class XmlPlistParser
{
    /// <summary>Deeper nesting than any real profile has; the bound keeps hostile input from exhausting the stack.</summary>
    public const int MaxDepth = 64;

    public static PlistNode? Parse(ReadOnlySpan<byte> bytes, DiagnosticBag diagnostics)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = false,
            CloseInput = true,
        };

        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, settings);
        var lineInfo = (IXmlLineInfo)reader;
        try
        {
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "plist")
            {
                diagnostics.Error(FormatDiagnosticCodes.PlistStructure, lineInfo.LineNumber,
                    $"The root element is <{reader.LocalName}>, but a property list starts with <plist>.",
                    "Use an Apple property list: <plist version=\"1.0\"><dict>...</dict></plist>.", column: lineInfo.LinePosition);
                return null;
            }

            var plistLine = lineInfo.LineNumber;
            PlistNode? root = null;
            if (!reader.IsEmptyElement)
            {
                reader.Read();
                while (reader.NodeType != XmlNodeType.EndElement && reader.NodeType != XmlNodeType.None)
                {
                    if (reader.NodeType == XmlNodeType.Element)
                    {
                        var line = lineInfo.LineNumber;
                        var node = ParseValue(reader, lineInfo, 1, diagnostics);
                        if (root is null)
                        {
                            root = node;
                        }
                        else
                        {
                            diagnostics.Error(FormatDiagnosticCodes.PlistStructure, line, "The <plist> holds more than one top-level value; only the first is read.",
                                "Put every key in the one top-level <dict>.");
                        }

                        continue;
                    }

                    SkipText(reader, lineInfo, diagnostics);
                }
            }

            // Read to the end so trailing garbage is reported as the XML error it is.
            while (reader.Read())
            {
            }

            if (root is null)
            {
                diagnostics.Error(FormatDiagnosticCodes.PlistStructure, plistLine, "The <plist> is empty.", "Add a <dict> with the keys.");
            }

            return root;
        }
        catch (XmlException ex)
        {
            diagnostics.Error(FormatDiagnosticCodes.XmlSyntax, ex.LineNumber, "Malformed XML: " + ex.Message,
                "Fix the XML at that position (check that every element is closed and that & and < in values are written &amp; and &lt;).",
                column: ex.LinePosition);
            return null;
        }
    }

    /// <summary>Reader is on a start element; returns with the reader on the node after its end. Null for an unusable element.</summary>
    private static PlistNode? ParseValue(XmlReader reader, IXmlLineInfo lineInfo, int depth, DiagnosticBag diagnostics)
    {
        var line = lineInfo.LineNumber;
        var column = lineInfo.LinePosition;
        if (depth > MaxDepth)
        {
            diagnostics.Error(FormatDiagnosticCodes.PlistStructure, line, $"Values are nested more than {MaxDepth} levels deep.", "Flatten the structure.", column: column);
            reader.Skip();
            return null;
        }

        switch (reader.LocalName)
        {
            case "string":
                return new PlistString(reader.ReadElementContentAsString(), line);
            case "integer":
            {
                var text = reader.ReadElementContentAsString().Trim();
                if (!IsInteger(text))
                {
                    diagnostics.Error(FormatDiagnosticCodes.PlistBadScalar, line, "An <integer> holds text that is not a whole number.",
                        "Write a decimal integer, or use <string> (every value is a string on the wire).", column: column);
                }

                return new PlistNumber(text, IsInteger: true, line);
            }

            case "real":
            {
                var text = reader.ReadElementContentAsString().Trim();
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    diagnostics.Error(FormatDiagnosticCodes.PlistBadScalar, line, "A <real> holds text that is not a number.",
                        "Write a decimal number, or use <string>.", column: column);
                }

                return new PlistNumber(text, IsInteger: false, line);
            }

            case "true":
            case "false":
            {
                var value = reader.LocalName == "true";
                if (reader.IsEmptyElement)
                {
                    reader.Read();
                }
                else if (reader.ReadElementContentAsString().Trim().Length > 0)
                {
                    diagnostics.Error(FormatDiagnosticCodes.PlistBadScalar, line, $"<{(value ? "true" : "false")}> must be empty.",
                        $"Write <{(value ? "true" : "false")}/>.", column: column);
                }

                return new PlistBoolean(value, line);
            }

            case "date":
            case "data":
            {
                var kind = reader.LocalName;
                return new PlistOther(kind, reader.ReadElementContentAsString().Trim(), line);
            }

            case "array":
                return ParseArray(reader, lineInfo, depth, line, diagnostics);
            case "dict":
                return ParseDict(reader, lineInfo, depth, line, diagnostics);
            default:
                diagnostics.Error(FormatDiagnosticCodes.PlistStructure, line, $"<{reader.LocalName}> is not a property-list element.",
                    "Use <string>, <integer>, <real>, <true/>, <false/>, <array> or <dict>.", column: column);
                reader.Skip();
                return null;
        }
    }

    private static PlistArray ParseArray(XmlReader reader, IXmlLineInfo lineInfo, int depth, int line, DiagnosticBag diagnostics)
    {
        var items = new List<PlistNode>();
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return new PlistArray(items, line);
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement && reader.NodeType != XmlNodeType.None)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                if (reader.LocalName == "key")
                {
                    diagnostics.Error(FormatDiagnosticCodes.PlistStructure, lineInfo.LineNumber, "<key> inside an <array>; keys belong in a <dict>.",
                        "Wrap the key and its value in a <dict>.", column: lineInfo.LinePosition);
                    reader.Skip();
                    continue;
                }

                var item = ParseValue(reader, lineInfo, depth + 1, diagnostics);
                if (item is not null)
                {
                    items.Add(item);
                }

                continue;
            }

            SkipText(reader, lineInfo, diagnostics);
        }

        reader.Read();
        return new PlistArray(items, line);
    }

    private static PlistDict ParseDict(XmlReader reader, IXmlLineInfo lineInfo, int depth, int line, DiagnosticBag diagnostics)
    {
        var members = new LastWinsList<PlistMember>();
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return new PlistDict([], line);
        }

        string? pendingKey = null;
        var pendingLine = 0;
        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement && reader.NodeType != XmlNodeType.None)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                SkipText(reader, lineInfo, diagnostics);
                continue;
            }

            var elementLine = lineInfo.LineNumber;
            if (reader.LocalName == "key")
            {
                if (pendingKey is not null)
                {
                    ReportMissingValue(pendingKey, pendingLine, diagnostics);
                }

                pendingLine = elementLine;
                pendingKey = reader.ReadElementContentAsString();
                continue;
            }

            var value = ParseValue(reader, lineInfo, depth + 1, diagnostics);
            if (pendingKey is null)
            {
                diagnostics.Error(FormatDiagnosticCodes.PlistStructure, elementLine, "A value in a <dict> has no <key> before it; it is not read.",
                    "Put <key>name</key> before the value.");
                continue;
            }

            if (value is not null && members.Add(pendingKey, new PlistMember(pendingKey, pendingLine, value)) is { } previous)
            {
                diagnostics.Warning(FormatDiagnosticCodes.PlistDuplicateKey, pendingLine,
                    $"<key>{pendingKey}</key> appears twice in one <dict> (first at line {previous.KeyLine}); only the last value is used.",
                    "Keep one of the two.", pendingKey);
            }

            pendingKey = null;
        }

        if (pendingKey is not null)
        {
            ReportMissingValue(pendingKey, pendingLine, diagnostics);
        }

        reader.Read();
        return new PlistDict(members.ToList(), line);
    }

    private static void ReportMissingValue(string key, int line, DiagnosticBag diagnostics)
        => diagnostics.Error(FormatDiagnosticCodes.PlistStructure, line, $"<key>{key}</key> has no value after it; the key is not read.",
            "Add the value right after the key, e.g. <string>...</string>.", key);

    private static void SkipText(XmlReader reader, IXmlLineInfo lineInfo, DiagnosticBag diagnostics)
    {
        if ((reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA) && !string.IsNullOrWhiteSpace(reader.Value))
        {
            diagnostics.Error(FormatDiagnosticCodes.PlistStructure, lineInfo.LineNumber, "Stray text between property-list elements (it is not shown: it may be a secret).",
                "Put text inside <string>...</string>.", column: lineInfo.LinePosition);
        }

        reader.Read();
    }

    private static bool IsInteger(string text)
    {
        var digits = text.AsSpan();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var c in digits[2..])
            {
                if (!char.IsAsciiHexDigit(c))
                {
                    return false;
                }
            }

            return digits.Length > 2;
        }

        if (digits.Length > 0 && (digits[0] == '-' || digits[0] == '+'))
        {
            digits = digits[1..];
        }

        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
