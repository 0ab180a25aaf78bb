using System.Globalization;
using System.Text;
using System.Xml;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Writes Group Policy templates (ADMX + en-US ADML) covering every catalogue key. Each policy writes one REG_SZ
/// value DIRECTLY under <c>SOFTWARE\Policies\Claude</c>: no element carries its own <c>key</c> (a subkey is never
/// read, cowork3p-reference §1.4 pitfall), booleans write the strings "true"/"false", numbers use
/// <c>storeAsText</c> so they land as REG_SZ rather than REG_DWORD, and no text is <c>expandable</c>
/// (REG_EXPAND_SZ counts as policy but cannot be read, §1.1). <c>class="Both"</c> lets admins pick HKLM or HKCU.
/// </summary>
internal static class AdmxWriter
{
    public const string AdmxFileName = "claude.admx";
    public const string AdmlFileName = "en-US/claude.adml";
    public const string Namespace = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";
    public const string TargetNamespace = "Anthropic.Policies.Claude";
    private const string Supported = "SUPPORTED_ClaudeDesktop3p";
    private const string RootCategory = "Claude";

    /// <summary>ADMX text elements default to 1023 characters; JSON documents such as managedMcpServers need more.</summary>
    private const int DefaultTextLength = 32767;

    public static IReadOnlyDictionary<string, byte[]> Write(ExportOptions options)
    {
        var keys = options.EffectiveCatalogue.DistinctBy(k => k.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var strings = new List<(string Id, string Text)>();
        var presentations = new List<(string Id, Action<XmlWriter> Write)>();
        var admx = WriteXml(w =>
        {
            w.WriteStartElement("policyDefinitions", Namespace);
            w.WriteAttributeString("revision", "1.0");
            w.WriteAttributeString("schemaVersion", "1.0");
            w.WriteStartElement("policyNamespaces");
            w.WriteStartElement("target");
            w.WriteAttributeString("prefix", "claude");
            w.WriteAttributeString("namespace", TargetNamespace);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteStartElement("resources");
            w.WriteAttributeString("minRequiredRevision", "1.0");
            w.WriteEndElement();

            w.WriteStartElement("supportedOn");
            w.WriteStartElement("definitions");
            w.WriteStartElement("definition");
            w.WriteAttributeString("name", Supported);
            w.WriteAttributeString("displayName", StringRef(Supported));
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            strings.Add((Supported, "Claude Desktop with third-party inference (Cowork on 3P)"));

            w.WriteStartElement("categories");
            WriteCategory(w, RootCategory, null);
            strings.Add((RootCategory, "Claude Desktop (third-party inference)"));
            foreach (var category in keys.Select(k => k.Category).Distinct().Order())
            {
                WriteCategory(w, CategoryName(category), RootCategory);
                strings.Add((CategoryName(category), CategoryTitle(category)));
            }

            w.WriteEndElement();

            w.WriteStartElement("policies");
            foreach (var key in keys)
            {
                WritePolicy(w, key, strings, presentations);
            }

            w.WriteEndElement();
            w.WriteEndElement();
        });

        var adml = WriteXml(w =>
        {
            w.WriteStartElement("policyDefinitionResources", Namespace);
            w.WriteAttributeString("revision", "1.0");
            w.WriteAttributeString("schemaVersion", "1.0");
            w.WriteElementString("displayName", Namespace, "Claude Desktop (third-party inference)");
            w.WriteElementString("description", Namespace,
                "Managed configuration for Claude Desktop on third-party inference. Every policy writes a REG_SZ value directly under SOFTWARE\\Policies\\Claude.");
            w.WriteStartElement("resources");
            w.WriteStartElement("stringTable");
            foreach (var (id, text) in strings)
            {
                w.WriteStartElement("string");
                w.WriteAttributeString("id", id);
                w.WriteString(text);
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteStartElement("presentationTable");
            foreach (var (id, write) in presentations)
            {
                w.WriteStartElement("presentation");
                w.WriteAttributeString("id", id);
                write(w);
                w.WriteEndElement();
            }

            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        });

        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [AdmxFileName] = admx,
            [AdmlFileName] = adml,
        };
    }

    private static void WritePolicy(XmlWriter w, KeyDefinition key, List<(string, string)> strings, List<(string, Action<XmlWriter>)> presentations)
    {
        var name = key.Name;
        w.WriteStartElement("policy");
        w.WriteAttributeString("name", name);
        w.WriteAttributeString("class", "Both");
        w.WriteAttributeString("displayName", StringRef(name));
        w.WriteAttributeString("explainText", StringRef(name + "_Explain"));
        strings.Add((name, name));
        strings.Add((name + "_Explain", Explain(key)));

        var kind = Kind(key);
        if (kind != ElementKind.Boolean)
        {
            w.WriteAttributeString("presentation", "$(presentation." + name + ")");
        }

        w.WriteAttributeString("key", RegFileReader.PolicyPath);
        if (kind == ElementKind.Boolean)
        {
            w.WriteAttributeString("valueName", name);
        }

        w.WriteStartElement("parentCategory");
        w.WriteAttributeString("ref", CategoryName(key.Category));
        w.WriteEndElement();
        w.WriteStartElement("supportedOn");
        w.WriteAttributeString("ref", Supported);
        w.WriteEndElement();

        switch (kind)
        {
            case ElementKind.Boolean:
                // Enabled writes "true", Disabled writes "false": strings, as every value is a string on the wire.
                w.WriteStartElement("enabledValue");
                w.WriteElementString("string", Namespace, "true");
                w.WriteEndElement();
                w.WriteStartElement("disabledValue");
                w.WriteElementString("string", Namespace, "false");
                w.WriteEndElement();
                break;
            case ElementKind.Enum:
                w.WriteStartElement("elements");
                w.WriteStartElement("enum");
                w.WriteAttributeString("id", name);
                w.WriteAttributeString("valueName", name);
                w.WriteAttributeString("required", "true");
                for (var i = 0; i < key.EnumValues.Count; i++)
                {
                    var value = key.EnumValues[i];
                    var itemId = $"{name}_Item{i}";
                    strings.Add((itemId, key.DeprecatedEnumValues.TryGetValue(value, out var instead) ? $"{value} (deprecated: use {instead})" : value));
                    w.WriteStartElement("item");
                    w.WriteAttributeString("displayName", StringRef(itemId));
                    w.WriteStartElement("value");
                    w.WriteElementString("string", Namespace, value);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }

                w.WriteEndElement();
                w.WriteEndElement();
                presentations.Add((name, p =>
                {
                    p.WriteStartElement("dropdownList");
                    p.WriteAttributeString("refId", name);
                    p.WriteAttributeString("noSort", "true");
                    p.WriteString(name);
                    p.WriteEndElement();
                }));
                break;
            case ElementKind.Decimal:
                w.WriteStartElement("elements");
                w.WriteStartElement("decimal");
                w.WriteAttributeString("id", name);
                w.WriteAttributeString("valueName", name);
                w.WriteAttributeString("required", "true");
                w.WriteAttributeString("storeAsText", "true");
                w.WriteAttributeString("minValue", ((uint)(key.Min ?? 0)).ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("maxValue", (key.Max is { } max ? (uint)Math.Min(max, uint.MaxValue) : uint.MaxValue).ToString(CultureInfo.InvariantCulture));
                w.WriteEndElement();
                w.WriteEndElement();
                presentations.Add((name, p =>
                {
                    p.WriteStartElement("decimalTextBox");
                    p.WriteAttributeString("refId", name);
                    if (uint.TryParse(key.Default, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
                    {
                        p.WriteAttributeString("defaultValue", d.ToString(CultureInfo.InvariantCulture));
                    }

                    p.WriteString(name);
                    p.WriteEndElement();
                }));
                break;
            default:
                w.WriteStartElement("elements");
                w.WriteStartElement("text");
                w.WriteAttributeString("id", name);
                w.WriteAttributeString("valueName", name);
                w.WriteAttributeString("required", "true");
                w.WriteAttributeString("maxLength", (key.MaxLength ?? DefaultTextLength).ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("expandable", "false");
                w.WriteEndElement();
                w.WriteEndElement();
                presentations.Add((name, p =>
                {
                    p.WriteStartElement("textBox");
                    p.WriteAttributeString("refId", name);
                    p.WriteElementString("label", Namespace, key.IsJson ? name + " (JSON, on one line)" : name);
                    p.WriteEndElement();
                }));
                break;
        }

        w.WriteEndElement();
    }

    private enum ElementKind
    {
        Text,
        Boolean,
        Enum,
        Decimal,
    }

    private static ElementKind Kind(KeyDefinition key) => key.ValueType switch
    {
        ConfigValueType.Boolean => ElementKind.Boolean,
        ConfigValueType.Enum when key.EnumValues.Count > 0 => ElementKind.Enum,
        // decimal elements hold 0..2^32-1; anything that may be negative stays text.
        ConfigValueType.Integer when (key.Min ?? 0) >= 0 => ElementKind.Decimal,
        _ => ElementKind.Text,
    };

    private static string Explain(KeyDefinition key)
    {
        var sb = new StringBuilder(key.Description);
        sb.Append("\n\nWrites the REG_SZ value \"").Append(key.Name).Append("\" directly under SOFTWARE\\Policies\\Claude (HKLM when set as Computer policy, HKCU as User policy).");
        sb.Append(Kind(key) switch
        {
            ElementKind.Boolean => " Enabled writes \"true\", Disabled writes \"false\".",
            ElementKind.Decimal => " Stored as a decimal string.",
            _ when key.IsJson => " The value is one JSON document on one line.",
            _ => string.Empty,
        });
        if (key.Min is not null || key.Max is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $" Range: {key.Min?.ToString(CultureInfo.InvariantCulture) ?? "-"} to {key.Max?.ToString(CultureInfo.InvariantCulture) ?? "-"}.");
        }

        if (key.Default is not null)
        {
            sb.Append(" Default: ").Append(key.Default).Append('.');
        }

        sb.Append(key.Since.IsBaseline ? string.Empty : " Since Claude Desktop " + key.Since + ".");
        if (key.IsDeprecated)
        {
            sb.Append(" Deprecated").Append(key.Replacement is null ? "." : $": use {key.Replacement} instead.");
        }

        if (key.IsSecret)
        {
            sb.Append(" This is a secret: registry values are readable by local users; prefer a credential helper.");
        }

        return sb.ToString();
    }

    private static void WriteCategory(XmlWriter w, string name, string? parent)
    {
        w.WriteStartElement("category");
        w.WriteAttributeString("name", name);
        w.WriteAttributeString("displayName", StringRef(name));
        if (parent is not null)
        {
            w.WriteStartElement("parentCategory");
            w.WriteAttributeString("ref", parent);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static string CategoryName(KeyCategory category) => RootCategory + "_" + category;

    private static string CategoryTitle(KeyCategory category) => category switch
    {
        KeyCategory.OrgPolicy => "Workspace and tool policy",
        KeyCategory.Mcp => "Connectors, extensions and plugins",
        KeyCategory.UsageLimits => "Usage limits",
        _ => category.ToString(),
    };

    private static string StringRef(string id) => "$(string." + id + ")";

    private static byte[] WriteXml(Action<XmlWriter> body)
    {
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\r\n",
            NewLineHandling = NewLineHandling.Replace,
        };
        using (var writer = XmlWriter.Create(stream, settings))
        {
            writer.WriteStartDocument();
            body(writer);
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }
}
