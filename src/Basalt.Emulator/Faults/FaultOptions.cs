using Basalt.Diagnostics;
using Basalt.Emulator.Bedrock;
using Basalt.Emulator.Configuration;
using Basalt.Diagnostics.Reading;

namespace Basalt.Emulator.Faults;

/// <summary>
/// The <c>faults:</c> section of the emulator YAML file: a seed and rules that inject faults into a share of
/// matching requests (docs/emulator.md, "Faults"). Per-request faults come from the <c>x-basalt-fault</c> header
/// and need no configuration. Diagnostic codes EMU30xx.
/// </summary>
public sealed record FaultOptions
{
    private const string Section = "faults";

    /// <summary>Seed of the pseudo-random sequence that decides percentage rules: the same seed and request order give the same faults.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Whether the <c>x-basalt-fault</c> request header is honoured (default true).</summary>
    public bool AllowHeader { get; init; } = true;

    internal IReadOnlyList<FaultRule> Rules { get; init; } = [];

    public static FaultOptions None { get; } = new();

    public static FaultOptions Parse(InputNode node, string file, List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var y = EmulatorOptionsLoader.SectionReader(file, "EMU3000", diagnostics);
        y.CheckKeys(node, Section, ["seed", "allowHeader", "rules"]);
        var rules = new List<FaultRule>();
        foreach (var (item, path) in y.WithCode("EMU3010").MappingItems(node, "rules", Section))
        {
            y.CheckKeys(item, path, ["fault", "services", "operations", "percent", "times"]);
            var text = y.WithCode("EMU3011").String(item, "fault", path)?.Value;
            if (text is null)
            {
                y.Error("EMU3011", item, $"{path}.fault", "a rule needs 'fault:' (e.g. throttle, 503, stream-exception; after=3).", null);
                continue;
            }

            if (!FaultSpec.TryParse(text, out var spec, out var error))
            {
                y.Error("EMU3011", item.Get("fault")!, $"{path}.fault", error!, null);
                continue;
            }

            var services = new HashSet<EmulatedService>();
            foreach (var name in y.WithCode("EMU3012").StringList(item, "services", path)?.Select(v => v.Value).ToList() ?? [])
            {
                if (EmulatedOperation.ParseService(name) is { } s)
                {
                    services.Add(s);
                }
                else
                {
                    y.Error("EMU3012", item.Get("services")!, $"{path}.services", $"'{name}' is not an emulated service.", "use bedrock-runtime, bedrock, sts, sso-oidc or sso.");
                }
            }

            rules.Add(new FaultRule(
                spec!,
                services,
                (y.WithCode("EMU3013").StringList(item, "operations", path)?.Select(v => v.Value).ToList() ?? []).ToHashSet(StringComparer.Ordinal),
                y.WithCode("EMU3014").Double(item, "percent", path, 0, 100) ?? 100,
                y.WithCode("EMU3015").Int(item, "times", path, 0, int.MaxValue)));
        }

        return new FaultOptions
        {
            Seed = y.WithCode("EMU3001").Int(node, "seed", Section, int.MinValue, int.MaxValue) ?? 1,
            AllowHeader = y.WithCode("EMU3002").Bool(node, "allowHeader", Section) ?? true,
            Rules = rules,
        };
    }
}
