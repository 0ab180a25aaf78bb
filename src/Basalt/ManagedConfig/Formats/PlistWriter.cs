using System.Text;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Writes XML property lists the way Apple tools do (tab indentation, the PropertyList-1.0 DOCTYPE), with every
/// value a <c>&lt;string&gt;</c>: the portable form the app reads on every version (cowork3p-reference §1.1).
/// </summary>
internal static class PlistWriter
{
    private const string Header =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" +
        "<plist version=\"1.0\">\n";

    /// <summary>A plain preference plist for <c>com.anthropic.claudefordesktop</c>: keys at top level.</summary>
    public static byte[] WritePlain(IReadOnlyList<KeyValuePair<string, string>> values)
    {
        var sb = new StringBuilder(Header);
        sb.Append("<dict>\n");
        foreach (var (key, value) in values)
        {
            AppendString(sb, 1, key, value);
        }

        sb.Append("</dict>\n</plist>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>
    /// A complete configuration profile with one custom-settings payload whose PayloadType is the preference
    /// domain; macOS writes its keys to <c>/Library/Managed Preferences/com.anthropic.claudefordesktop.plist</c>.
    /// UUIDs are UUIDv5 of the identity seed, so re-exports replace the installed profile instead of duplicating it.
    /// </summary>
    public static byte[] WriteProfile(IReadOnlyList<KeyValuePair<string, string>> values, ExportOptions options)
    {
        var seed = options.EffectiveSeed;
        var sb = new StringBuilder(Header);
        sb.Append("<dict>\n");
        sb.Append("\t<key>PayloadContent</key>\n\t<array>\n\t\t<dict>\n");
        AppendString(sb, 3, "PayloadDisplayName", "Claude Desktop managed preferences");
        sb.Append("\t\t\t<key>PayloadEnabled</key>\n\t\t\t<true/>\n");
        AppendString(sb, 3, "PayloadIdentifier", options.PayloadIdentifier + ".preferences");
        AppendString(sb, 3, "PayloadType", ManagedConfigReader.PreferenceDomain);
        AppendString(sb, 3, "PayloadUUID", DeterministicUuid.Create(seed, "payload:" + ManagedConfigReader.PreferenceDomain));
        sb.Append("\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n");
        foreach (var (key, value) in values)
        {
            AppendString(sb, 3, key, value);
        }

        sb.Append("\t\t</dict>\n\t</array>\n");
        if (!string.IsNullOrEmpty(options.Description))
        {
            AppendString(sb, 1, "PayloadDescription", options.Description);
        }

        AppendString(sb, 1, "PayloadDisplayName", options.DisplayName);
        AppendString(sb, 1, "PayloadIdentifier", options.PayloadIdentifier);
        if (!string.IsNullOrEmpty(options.Organization))
        {
            AppendString(sb, 1, "PayloadOrganization", options.Organization);
        }

        AppendString(sb, 1, "PayloadScope", "System");
        AppendString(sb, 1, "PayloadType", "Configuration");
        AppendString(sb, 1, "PayloadUUID", DeterministicUuid.Create(seed, "profile"));
        sb.Append("\t<key>PayloadVersion</key>\n\t<integer>1</integer>\n");
        sb.Append("</dict>\n</plist>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void AppendString(StringBuilder sb, int indent, string key, string value)
    {
        sb.Append('\t', indent).Append("<key>");
        AppendEscaped(sb, key);
        sb.Append("</key>\n");
        sb.Append('\t', indent).Append("<string>");
        AppendEscaped(sb, value);
        sb.Append("</string>\n");
    }

    private static void AppendEscaped(StringBuilder sb, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&':
                    sb.Append("&amp;");
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '\r':
                    // XML parsers turn a literal CR (or CRLF) into LF; a character reference survives.
                    sb.Append("&#13;");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
    }
}
