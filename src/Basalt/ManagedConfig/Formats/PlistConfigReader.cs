using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Basalt.Diagnostics;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Turns a parsed property list into entries: either a plain preference plist (keys at top level, as macOS
/// leaves them in <c>/Library/Managed Preferences</c>) or a configuration profile, in both shapes MDMs produce
/// (cowork3p-reference §1.4): a custom-settings payload whose <c>PayloadType</c> is the domain, or
/// <c>com.apple.ManagedClient.preferences</c> → domain → <c>Forced</c> → <c>mcx_preference_settings</c>.
/// </summary>
internal static partial class PlistConfigReader
{
    private const string ManagedClientPayload = "com.apple.ManagedClient.preferences";

    public static List<ConfigEntry> Read(ReadOnlySpan<byte> bytes, bool expectProfile, DiagnosticBag diagnostics)
    {
        if (SignedProfile.LooksSigned(bytes))
        {
            var content = SignedProfile.Unwrap(bytes, diagnostics);
            if (content is null)
            {
                return [];
            }

            return Read(content, expectProfile, diagnostics);
        }

        var root = bytes.StartsWith(BinaryPlistParser.Magic)
            ? BinaryPlistParser.Parse(bytes, diagnostics)
            : XmlPlistParser.Parse(bytes, diagnostics);
        if (root is null)
        {
            return [];
        }

        if (root is not PlistDict dict)
        {
            diagnostics.Error(FormatDiagnosticCodes.PlistNotDict, root.Line, $"The top-level value is {Describe(root)}, but preferences are a <dict> of keys.",
                "Make the top level a <dict> with one <key> per setting.");
            return [];
        }

        var entries = new LastWinsList<ConfigEntry>();
        if (IsProfile(dict))
        {
            ReadProfile(dict, entries, diagnostics);
        }
        else if (expectProfile)
        {
            diagnostics.Error(FormatDiagnosticCodes.ProfileStructure, dict.Line,
                "This is not a configuration profile: the top level has no PayloadType \"Configuration\" and no PayloadContent array, so no MDM can install it.",
                "Export a complete profile (`basalt config export ... --format mobileconfig`), or name the file .plist if it is a plain preference file.");
        }
        else
        {
            ReadSettings(dict, ManagedConfigReader.PreferenceDomain, entries, diagnostics, skipPayloadKeys: false);
        }

        return entries.ToList();
    }

    private static bool IsProfile(PlistDict dict)
        => dict.GetString("PayloadType") == "Configuration" || dict.Get("PayloadContent") is PlistArray;

    private static void ReadProfile(PlistDict profile, LastWinsList<ConfigEntry> entries, DiagnosticBag diagnostics)
    {
        if (profile.Get("PayloadContent") is not PlistArray payloads)
        {
            diagnostics.Error(FormatDiagnosticCodes.ProfileStructure, LineOf(profile, "PayloadContent"),
                "The profile's PayloadContent is missing or not an <array> of payload dictionaries.",
                "Put the payloads in <key>PayloadContent</key><array><dict>...</dict></array>.", "PayloadContent");
            return;
        }

        var foundClaude = false;
        foreach (var item in payloads.Items)
        {
            if (item is not PlistDict payload)
            {
                diagnostics.Error(FormatDiagnosticCodes.ProfileStructure, item.Line, $"A PayloadContent item is {Describe(item)}, not a payload <dict>; it is ignored.",
                    "Each PayloadContent item must be a <dict> with PayloadType, PayloadIdentifier and PayloadUUID.");
                continue;
            }

            var type = payload.GetString("PayloadType");
            if (type is null)
            {
                diagnostics.Error(FormatDiagnosticCodes.ProfileStructure, payload.Line, "A payload has no PayloadType string; macOS refuses to install the profile.",
                    $"Add <key>PayloadType</key><string>{ManagedConfigReader.PreferenceDomain}</string>.");
                continue;
            }

            if (type == ManagedConfigReader.PreferenceDomain)
            {
                foundClaude = true;
                if (payload.Get("PayloadContent") is PlistDict nested)
                {
                    diagnostics.Error(FormatDiagnosticCodes.PlistWrongLevel, LineOf(payload, "PayloadContent"),
                        "Keys are nested under PayloadContent inside a custom-settings payload; macOS writes them to the preferences as one dictionary named PayloadContent, and the app never reads them.",
                        $"Move the {nested.Members.Count} key(s) up one level, next to PayloadType.", "PayloadContent", ManagedConfigReader.PreferenceDomain);
                }

                ReadSettings(payload, ManagedConfigReader.PreferenceDomain, entries, diagnostics, skipPayloadKeys: true);
            }
            else if (type == ManagedClientPayload)
            {
                foundClaude |= ReadManagedClient(payload, entries, diagnostics);
            }
            else if (LooksLikeClaude(type))
            {
                diagnostics.Warning(FormatDiagnosticCodes.ProfileOtherDomain, LineOf(payload, "PayloadType"),
                    $"The payload type \"{type}\" is not the preference domain Claude Desktop reads; its keys are never seen by the app.",
                    $"Use <string>{ManagedConfigReader.PreferenceDomain}</string> as PayloadType.", "PayloadType");
            }
        }

        if (!foundClaude)
        {
            diagnostics.Warning(FormatDiagnosticCodes.ProfileNoClaudePayload, profile.Line,
                $"The profile carries no {ManagedConfigReader.PreferenceDomain} settings.",
                $"Add a payload whose PayloadType is {ManagedConfigReader.PreferenceDomain} (or a ManagedClient preferences payload for that domain).");
        }
    }

    private static bool ReadManagedClient(PlistDict payload, LastWinsList<ConfigEntry> entries, DiagnosticBag diagnostics)
    {
        if (payload.Get("PayloadContent") is not PlistDict domains)
        {
            diagnostics.Error(FormatDiagnosticCodes.ProfileStructure, payload.Line,
                $"A {ManagedClientPayload} payload needs a PayloadContent <dict> keyed by preference domain.",
                $"Write PayloadContent → {ManagedConfigReader.PreferenceDomain} → Forced → mcx_preference_settings.");
            return false;
        }

        var found = false;
        foreach (var domain in domains.Members)
        {
            if (domain.Key != ManagedConfigReader.PreferenceDomain)
            {
                if (LooksLikeClaude(domain.Key))
                {
                    diagnostics.Warning(FormatDiagnosticCodes.ProfileOtherDomain, domain.KeyLine,
                        $"Preferences for \"{domain.Key}\" are not read by Claude Desktop, which reads {ManagedConfigReader.PreferenceDomain}.",
                        $"Rename the domain key to {ManagedConfigReader.PreferenceDomain}.", domain.Key);
                }

                continue;
            }

            found = true;
            if (domain.Value is not PlistDict kinds)
            {
                diagnostics.Error(FormatDiagnosticCodes.ProfileStructure, domain.KeyLine, "The domain's value must be a <dict> holding a Forced array.",
                    "Write <dict><key>Forced</key><array><dict><key>mcx_preference_settings</key><dict>...</dict></dict></array></dict>.", domain.Key);
                continue;
            }

            foreach (var kind in kinds.Members)
            {
                if (kind.Key is "Set-Once" or "Often")
                {
                    diagnostics.Warning(FormatDiagnosticCodes.ProfileStructure, kind.KeyLine,
                        $"\"{kind.Key}\" settings are defaults the user can change, not managed preferences; the app does not treat them as managed configuration.",
                        "Put the settings under Forced.", kind.Key, ManagedConfigReader.PreferenceDomain);
                    continue;
                }

                if (kind.Key != "Forced" || kind.Value is not PlistArray forced)
                {
                    diagnostics.Error(FormatDiagnosticCodes.ProfileStructure, kind.KeyLine,
                        $"Unexpected \"{kind.Key}\" under the domain; only a Forced <array> is read.",
                        "Use <key>Forced</key><array><dict><key>mcx_preference_settings</key><dict>...</dict></dict></array>.", kind.Key, ManagedConfigReader.PreferenceDomain);
                    continue;
                }

                foreach (var item in forced.Items)
                {
                    if (item is PlistDict forcedItem && forcedItem.Get("mcx_preference_settings") is PlistDict settings)
                    {
                        ReadSettings(settings, ManagedConfigReader.PreferenceDomain, entries, diagnostics, skipPayloadKeys: false);
                    }
                    else
                    {
                        diagnostics.Error(FormatDiagnosticCodes.ProfileStructure, item.Line, "A Forced item has no mcx_preference_settings <dict>; it is ignored.",
                            "Each Forced item is <dict><key>mcx_preference_settings</key><dict>keys...</dict></dict>.", "Forced", ManagedConfigReader.PreferenceDomain);
                    }
                }
            }
        }

        return found;
    }

    private static void ReadSettings(PlistDict dict, string scope, LastWinsList<ConfigEntry> entries, DiagnosticBag diagnostics, bool skipPayloadKeys)
    {
        foreach (var member in dict.Members)
        {
            if (skipPayloadKeys && member.Key.StartsWith("Payload", StringComparison.Ordinal))
            {
                continue;
            }

            if (member.Value is PlistDict && (member.Key == ManagedConfigReader.PreferenceDomain || member.Key == "mcx_preference_settings"))
            {
                diagnostics.Error(FormatDiagnosticCodes.PlistWrongLevel, member.KeyLine,
                    $"Keys are nested under \"{member.Key}\"; the app reads keys only at the top level of its domain, so none of them is read.",
                    $"Move the keys out of \"{member.Key}\" one level up.", member.Key, scope);
                continue;
            }

            var location = new SourceLocation(diagnostics.Source, member.KeyLine, 0, scope);
            var entry = member.Value switch
            {
                PlistString s => new ConfigEntry(member.Key, s.Value, WireType.String, location),
                PlistNumber n => new ConfigEntry(member.Key, n.Text, WireType.Number, location),
                PlistBoolean b => new ConfigEntry(member.Key, b.Value ? "true" : "false", WireType.Boolean, location),
                PlistArray => new ConfigEntry(member.Key, ToJson(member.Value), WireType.NativeArray, location),
                PlistDict => new ConfigEntry(member.Key, ToJson(member.Value), WireType.NativeObject, location),
                _ => new ConfigEntry(member.Key, null, WireType.Other, location),
            };

            if (entries.Add(entry.Key, entry) is { } previous)
            {
                // Two payloads for the same domain: macOS merges them and one wins unpredictably.
                diagnostics.Warning(FormatDiagnosticCodes.PlistDuplicateKey, member.KeyLine,
                    $"\"{entry.Key}\" is set twice in this profile (first at line {previous.Location.Line}); which one macOS applies is not defined.",
                    "Set each key in exactly one payload.", entry.Key, scope);
            }
        }
    }

    /// <summary>The JSON text of a native container: the app converts <c>&lt;array&gt;</c>/<c>&lt;dict&gt;</c> to the equivalent JSON (§1.1).</summary>
    internal static string ToJson(PlistNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            WriteJson(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteJson(Utf8JsonWriter writer, PlistNode node)
    {
        switch (node)
        {
            case PlistString s:
                writer.WriteStringValue(s.Value);
                break;
            case PlistBoolean b:
                writer.WriteBooleanValue(b.Value);
                break;
            case PlistNumber n when n.IsInteger && n.Text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(n.Text.AsSpan(2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var hex):
                writer.WriteNumberValue(hex);
                break;
            case PlistNumber n when JsonNumber().IsMatch(n.Text):
                writer.WriteRawValue(n.Text, skipInputValidation: true);
                break;
            case PlistNumber n:
                writer.WriteStringValue(n.Text);
                break;
            case PlistArray a:
                writer.WriteStartArray();
                foreach (var item in a.Items)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case PlistDict d:
                writer.WriteStartObject();
                foreach (var m in d.Members)
                {
                    writer.WritePropertyName(m.Key);
                    WriteJson(writer, m.Value);
                }

                writer.WriteEndObject();
                break;
            case PlistOther o:
                writer.WriteStringValue(o.Text);
                break;
        }
    }

    private static int LineOf(PlistDict dict, string key)
    {
        foreach (var m in dict.Members)
        {
            if (m.Key == key)
            {
                return m.KeyLine;
            }
        }

        return dict.Line;
    }

    private static bool LooksLikeClaude(string type)
        => type.Contains("anthropic", StringComparison.OrdinalIgnoreCase) || type.Contains("claude", StringComparison.OrdinalIgnoreCase);

    private static string Describe(PlistNode node) => node switch
    {
        PlistArray => "an <array>",
        PlistString => "a <string>",
        PlistNumber => "a number",
        PlistBoolean => "a boolean",
        PlistDict => "a <dict>",
        _ => "a <date> or <data>",
    };

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
