using Basalt.Diagnostics;

namespace Basalt.Credentials.Profiles;

/// <summary>One <c>name = value</c> of an AWS config file, with its 1-based line and, for an indented block
/// (<c>s3 =\n  addressing_style = path</c>), the nested pairs.</summary>
internal sealed record AwsIniValue(string Value, int Line, IReadOnlyDictionary<string, string>? Nested = null);

/// <summary>One <c>[section]</c> of an AWS config file.</summary>
internal sealed class AwsIniSection(string name, int line)
{
    public string Name { get; } = name;

    public int Line { get; } = line;

    /// <summary>Option names are lower-cased, as Python's configparser does for the AWS CLI.</summary>
    public Dictionary<string, AwsIniValue> Values { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Parses AWS config and credentials files exactly as the AWS CLI v2 does: Python's
/// <c>configparser.RawConfigParser</c> (strict mode, <c>=</c> or <c>:</c> delimiters, <c>#</c>/<c>;</c> full-line
/// comments and no inline comments, option names lower-cased, continuation lines indented deeper than their option,
/// a <c>[DEFAULT]</c> section inherited by every section) followed by botocore's <c>_parse_nested</c> for values that
/// start on the next line. Where configparser rejects the whole file (duplicate section or option, a line before any
/// section, a line without a delimiter) the CLI refuses to run, so this returns an error diagnostic and no sections.
/// </summary>
internal sealed class AwsIniFile
{
    private AwsIniFile(string path, IReadOnlyList<AwsIniSection> sections, IReadOnlyList<Diagnostic> diagnostics)
    {
        Path = path;
        Sections = sections;
        Diagnostics = diagnostics;
    }

    public string Path { get; }

    public IReadOnlyList<AwsIniSection> Sections { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>Reads a file; null when it does not exist (the CLI silently ignores a missing file).</summary>
    public static AwsIniFile? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AwsIniFile(path, [], [Error(path, 0, $"cannot read the file: {e.Message}", "check the file's permissions")]);
        }

        return Parse(text, path);
    }

    public static AwsIniFile Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = new List<AwsIniSection>();
        var byName = new Dictionary<string, AwsIniSection>(StringComparer.Ordinal);
        var defaults = new AwsIniSection("DEFAULT", 0);
        var raw = new Dictionary<AwsIniSection, Dictionary<string, (List<string> Lines, int Line)>>();
        var seenOptions = new HashSet<(string, string)>();
        var seenSections = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<Diagnostic>();

        AwsIniSection? current = null;
        string? option = null;
        var indentLevel = 0;
        var lines = SplitLines(text);
        for (var i = 0; i < lines.Count; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i];
            var trimmed = line.Trim();
            var isComment = trimmed.StartsWith('#') || trimmed.StartsWith(';');
            var value = isComment ? string.Empty : trimmed;
            if (value.Length == 0)
            {
                // configparser keeps blank lines inside a multi-line value (empty_lines_in_values), but not comment lines.
                if (!isComment && current is not null && option is not null)
                {
                    raw[current][option].Lines.Add(string.Empty);
                }

                continue;
            }

            var indent = 0;
            while (indent < line.Length && char.IsWhiteSpace(line[indent]))
            {
                indent++;
            }

            if (current is not null && option is not null && indent > indentLevel)
            {
                raw[current][option].Lines.Add(value);
                continue;
            }

            indentLevel = indent;
            if (value[0] == '[' && value.LastIndexOf(']') is var close and > 1)
            {
                // SECTCRE is \[(?P<header>.+)\] matched at the start: greedy up to the last ']', trailing text ignored.
                var name = value[1..close];
                option = null;
                if (name == "DEFAULT")
                {
                    current = defaults;
                }
                else if (byName.TryGetValue(name, out var existing))
                {
                    if (seenSections.Contains(name))
                    {
                        return Fail(path, errors, Error(path, lineNumber, $"section [{name}] appears more than once", "merge the two sections into one"));
                    }

                    current = existing;
                }
                else
                {
                    current = new AwsIniSection(name, lineNumber);
                    byName[name] = current;
                    sections.Add(current);
                    seenSections.Add(name);
                }

                if (!raw.ContainsKey(current))
                {
                    raw[current] = new(StringComparer.Ordinal);
                }

                continue;
            }

            if (current is null)
            {
                return Fail(path, errors, Error(path, lineNumber, "a setting appears before any [section] header", "start the file with a section such as [default]"));
            }

            var delimiter = value.IndexOfAny(['=', ':']);
            if (delimiter < 0)
            {
                errors.Add(Error(path, lineNumber, "this line is neither a [section], a 'name = value' setting, nor a comment", "use 'name = value' or start the line with '#'"));
                continue;
            }

            var name2 = value[..delimiter].TrimEnd().ToLowerInvariant();
            if (name2.Length == 0)
            {
                errors.Add(Error(path, lineNumber, "a setting has no name before its '='", "write 'name = value'"));
                continue;
            }

            if (!seenOptions.Add((current.Name, name2)))
            {
                return Fail(path, errors, Error(path, lineNumber, $"setting '{name2}' appears twice in [{current.Name}]", "keep one of the two lines"));
            }

            option = name2;
            raw[current][option] = ([value[(delimiter + 1)..].Trim()], lineNumber);
        }

        if (errors.Count > 0)
        {
            return Fail(path, errors, null);
        }

        foreach (var (section, options) in raw)
        {
            foreach (var (name, (parts, line)) in options)
            {
                var joined = string.Join('\n', parts).TrimEnd();
                IReadOnlyDictionary<string, string>? nested = null;
                if (joined.StartsWith('\n'))
                {
                    nested = ParseNested(joined);
                    if (nested is null)
                    {
                        return Fail(path, errors, Error(path, line, $"the indented block under '{name}' has a line without '='", "write each nested line as 'name = value'"));
                    }
                }

                section.Values[name] = new AwsIniValue(joined, line, nested);
            }
        }

        // [DEFAULT] values apply to every section that does not set them itself (configparser semantics).
        if (raw.TryGetValue(defaults, out var _))
        {
            foreach (var section in sections)
            {
                foreach (var (name, v) in defaults.Values)
                {
                    section.Values.TryAdd(name, v);
                }
            }
        }

        return new AwsIniFile(path, sections, []);
    }

    private static Dictionary<string, string>? ParseNested(string value)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in value.Split('\n'))
        {
            var t = line.Trim();
            if (t.Length == 0)
            {
                continue;
            }

            var eq = t.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return null;
            }

            result[t[..eq].Trim()] = t[(eq + 1)..].Trim();
        }

        return result;
    }

    private static List<string> SplitLines(string text)
    {
        // Python's universal newlines: \r\n, \r and \n all end a line. A UTF-8 BOM is not special to configparser,
        // but File.ReadAllText already removed it.
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\n' or '\r')
            {
                lines.Add(text[start..i]);
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    private static AwsIniFile Fail(string path, List<Diagnostic> errors, Diagnostic? extra)
    {
        if (extra is not null)
        {
            errors.Add(extra);
        }

        return new AwsIniFile(path, [], errors);
    }

    private static Diagnostic Error(string path, int line, string message, string fix)
        => new(DiagnosticSeverity.Error, "BSL4001", $"the AWS CLI cannot parse this file: {message}", Location: new SourceLocation(path, line), Fix: fix);
}
