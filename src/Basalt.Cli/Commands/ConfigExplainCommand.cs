using System.CommandLine;
using System.Globalization;
using Basalt.ManagedConfig;

namespace Basalt.Cli.Commands;

/// <summary><c>basalt config explain KEY</c>: everything the catalogue knows about one key.</summary>
internal static class ConfigExplainCommand
{
    public static Command Create()
    {
        var key = new Argument<string>("key") { Description = "A managed-configuration key, e.g. inferenceBedrockRegion." };
        var command = new Command("explain", "Show type, allowed values, range, since-version, providers and deprecation of one key.");
        command.Arguments.Add(key);
        command.SetAction((ParseResult parse, CancellationToken ct) => ConfigConsole.GuardAsync(CliConsole.Of(parse), console =>
        {
            var name = parse.GetValue(key)!;
            var k = KeyCatalogue.Find(name);
            if (k is null)
            {
                var near = KeySuggester.Suggest(name);
                console.Error.WriteLine(near is null
                    ? $"error: '{name}' is not a managed-configuration key (names are case-sensitive). See 'basalt config keys'."
                    : $"error: '{name}' is not a managed-configuration key. Did you mean '{near}'?");
                return Task.FromResult(1);
            }

            var inv = CultureInfo.InvariantCulture;
            var o = console.Out;
            o.WriteLine(k.Name);
            o.WriteLine($"  {k.Description}");
            o.WriteLine($"  type:          {KeyCatalogueJson.TypeName(k.ValueType)} (written as a string on the wire{(k.IsJson ? ": one key holding the whole JSON document; dotted sub-keys are never read" : string.Empty)})");
            if (k.EnumValues.Count > 0)
            {
                o.WriteLine($"  values:        {string.Join(", ", k.EnumValues.Select(v => k.EnumValueSince.TryGetValue(v, out var s) ? $"{v} (v{s}+)" : v))}");
            }

            foreach (var (value, instead) in k.DeprecatedEnumValues)
            {
                o.WriteLine($"  deprecated:    value \"{value}\" → {instead} (until {KeyCatalogue.DeprecationCutoff:yyyy-MM-dd HH:mm} PT)");
            }

            if (k.Min is not null || k.Max is not null)
            {
                o.WriteLine($"  range:         {k.Min?.ToString(inv) ?? "-∞"} – {k.Max?.ToString(inv) ?? "∞"}");
            }

            if (k.MaxLength is { } ml)
            {
                o.WriteLine($"  max length:    {ml}");
            }

            if (k.Format != ValueFormat.None)
            {
                o.WriteLine($"  format:        {k.Format}");
            }

            o.WriteLine($"  default:       {k.Default ?? "(unset)"}");
            o.WriteLine($"  providers:     {(k.Providers.Count == 0 ? "all" : string.Join(", ", k.Providers.Select(p => p.ToWire())))}");
            o.WriteLine($"  since:         {k.Since}");
            o.WriteLine($"  availability:  {KeyCatalogueJson.AvailabilityName(k.Availability)}");
            o.WriteLine($"  secret:        {(k.IsSecret ? "yes (redacted in reports)" : "no")}");
            if (k.RenamedFrom is not null)
            {
                o.WriteLine($"  renamed from:  {k.RenamedFrom}");
            }

            if (k.IsDeprecated)
            {
                o.WriteLine($"  DEPRECATED{(k.DeprecatedBy is { IsBaseline: false } d ? $" in {d}" : string.Empty)}: {(k.Replacement is null ? "remove it" : $"use {k.Replacement}")}"
                    + (k.DeprecationCutoff is { } c ? $"; accepted until {c:yyyy-MM-dd HH:mm} PT, then: {k.AfterCutoff}" : string.Empty));
            }

            if (k.RemovedIn is { } r)
            {
                o.WriteLine($"  REMOVED in {r}: the app ignores it.");
            }

            if (k.Unconfirmed)
            {
                o.WriteLine("  note:          only in third-party material, not in Anthropic's documentation.");
            }

            return Task.FromResult(0);
        }));
        return command;
    }
}
