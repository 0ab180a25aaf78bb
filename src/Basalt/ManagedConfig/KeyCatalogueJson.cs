using System.Globalization;
using System.Text.Json;

namespace Basalt.ManagedConfig;

/// <summary>Writes catalogue rows as JSON (for <c>basalt config keys --json</c>, docs and tooling); stable field order.</summary>
public static class KeyCatalogueJson
{
    public static void Write(Utf8JsonWriter w, KeyDefinition k)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(k);
        w.WriteStartObject();
        w.WriteString("name", k.Name);
        w.WriteString("type", TypeName(k.ValueType));
        w.WriteBoolean("json", k.IsJson);
        w.WriteString("category", k.Category.ToString());
        w.WriteStartArray("providers");
        foreach (var p in k.Providers)
        {
            w.WriteStringValue(p.ToWire());
        }

        w.WriteEndArray();
        w.WriteStartArray("enum");
        foreach (var v in k.EnumValues)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
        if (k.DeprecatedEnumValues.Count > 0)
        {
            w.WriteStartObject("deprecatedValues");
            foreach (var (value, instead) in k.DeprecatedEnumValues.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteString(value, instead);
            }

            w.WriteEndObject();
        }

        Number(w, "min", k.Min);
        Number(w, "max", k.Max);
        if (k.MaxLength is { } ml)
        {
            w.WriteNumber("maxLength", ml);
        }

        if (k.Format != ValueFormat.None)
        {
            w.WriteString("format", k.Format.ToString());
        }

        w.WriteBoolean("secret", k.IsSecret);
        w.WriteString("since", k.Since.ToString());
        w.WriteString("availability", AvailabilityName(k.Availability));
        Str(w, "default", k.Default);
        w.WriteString("description", k.Description);
        Str(w, "deprecatedIn", k.DeprecatedBy?.ToString());
        Str(w, "replacement", k.Replacement);
        Str(w, "deprecationCutoff", k.DeprecationCutoff?.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
        Str(w, "afterCutoff", k.AfterCutoff);
        Str(w, "renamedFrom", k.RenamedFrom);
        Str(w, "removedIn", k.RemovedIn?.ToString());
        if (k.Unconfirmed)
        {
            w.WriteBoolean("unconfirmed", true);
        }

        w.WriteEndObject();
    }

    public static string TypeName(ConfigValueType t) => t switch
    {
        ConfigValueType.StringArray => "string[] (JSON)",
        ConfigValueType.EnumArray => "enum[] (JSON)",
        ConfigValueType.Object => "object (JSON)",
        ConfigValueType.ObjectArray => "object[] (JSON)",
        ConfigValueType.StringOrObjectArray => "(string|object)[] (JSON)",
        _ => t.ToString().ToLowerInvariant(),
    };

    public static string AvailabilityName(KeyAvailability a) => a switch
    {
        KeyAvailability.Mdm => "MDM",
        KeyAvailability.Bootstrap => "bootstrap",
        _ => "MDM+bootstrap",
    };

    private static void Str(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }
}
