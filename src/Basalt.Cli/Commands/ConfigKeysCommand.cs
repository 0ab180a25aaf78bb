using System.CommandLine;
using System.Text;
using System.Text.Json;
using Basalt.ManagedConfig;

namespace Basalt.Cli.Commands;

/// <summary><c>basalt config keys [--provider P] [--json]</c>: the key catalogue.</summary>
internal static class ConfigKeysCommand
{
    public static Command Create()
    {
        var provider = new Option<string?>("--provider") { Description = "Only keys relevant to this provider (bedrock, gateway, vertex, foundry, mantle, anthropic)." };
        var json = ConfigConsole.JsonOption();
        var command = new Command("keys", "List every managed-configuration key: type, since-version, providers, secret, deprecation.");
        command.Options.Add(provider);
        command.Options.Add(json);
        command.SetAction((ParseResult parse, CancellationToken ct) => ConfigConsole.GuardAsync(CliConsole.Of(parse), console =>
        {
            IEnumerable<KeyDefinition> keys = KeyCatalogue.All;
            if (parse.GetValue(provider) is { } p)
            {
                if (!InferenceProviderNames.TryParse(p, out var ip))
                {
                    console.Error.WriteLine($"error: --provider '{p}' is not one of: {string.Join(", ", InferenceProviderNames.All.Select(x => x.ToWire()))}.");
                    return Task.FromResult(1);
                }

                keys = KeyCatalogue.ForProvider(ip);
            }

            console.Out.Write(parse.GetValue(json) ? Json(keys) : Text(keys));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static string Json(IEnumerable<KeyDefinition> keys)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var k in keys)
            {
                KeyCatalogueJson.Write(w, k);
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    private static string Text(IEnumerable<KeyDefinition> keys)
    {
        var sb = new StringBuilder();
        foreach (var group in keys.GroupBy(k => k.Category))
        {
            sb.AppendLine(group.Key.ToString());
            foreach (var k in group)
            {
                var notes = new List<string>();
                if (k.EnumValues.Count > 0)
                {
                    notes.Add(string.Join("|", k.EnumValues.Where(v => !k.DeprecatedEnumValues.ContainsKey(v))));
                }

                var inv = System.Globalization.CultureInfo.InvariantCulture;
                notes.Add((k.Min, k.Max) switch
                {
                    ({ } min, { } max) => string.Create(inv, $"{min}–{max}"),
                    ({ } min, null) => string.Create(inv, $"≥{min}"),
                    (null, { } max) => string.Create(inv, $"≤{max}"),
                    _ => string.Empty,
                });
                notes.RemoveAll(n => n.Length == 0);

                if (k.IsSecret)
                {
                    notes.Add("secret");
                }

                if (k.Providers.Count > 0)
                {
                    notes.Add(string.Join("/", k.Providers.Select(p => p.ToWire())));
                }

                if (k.IsDeprecated)
                {
                    notes.Add(k.Replacement is null ? "DEPRECATED" : $"DEPRECATED → {k.Replacement}");
                }

                if (k.RemovedIn is { } r)
                {
                    notes.Add($"REMOVED {r}");
                }

                sb.AppendLine(System.Globalization.CultureInfo.InvariantCulture,
                    $"  {k.Name,-48} {KeyCatalogueJson.TypeName(k.ValueType),-26} {k.Since,-10} {string.Join("; ", notes)}");
            }
        }

        return sb.ToString();
    }
}
