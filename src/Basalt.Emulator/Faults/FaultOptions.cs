using Basalt.Diagnostics;
using Basalt.Emulator.Bedrock;
using YamlDotNet.RepresentationModel;

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

    public static FaultOptions Parse(YamlMappingNode node, string file, List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var y = new BedrockYaml(file, diagnostics);
        y.CheckKeys(node, Section, "EMU3000", "seed", "allowHeader", "rules");
        var rules = new List<FaultRule>();
        foreach (var (item, path) in y.MappingItems(node, "rules", Section, "EMU3010"))
        {
            y.CheckKeys(item, path, "EMU3000", "fault", "services", "operations", "percent", "times");
            var text = y.String(item, "fault", path, "EMU3011");
            if (text is null)
            {
                y.Error("EMU3011", $"{path}.fault", item, "a rule needs 'fault:' (e.g. throttle, 503, stream-exception; after=3).");
                continue;
            }

            if (!FaultSpec.TryParse(text, out var spec, out var error))
            {
                y.Error("EMU3011", $"{path}.fault", BedrockYaml.Get(item, "fault")!, error!);
                continue;
            }

            var services = new HashSet<EmulatedService>();
            foreach (var name in y.StringList(item, "services", path, "EMU3012") ?? [])
            {
                if (EmulatedOperation.ParseService(name) is { } s)
                {
                    services.Add(s);
                }
                else
                {
                    y.Error("EMU3012", $"{path}.services", BedrockYaml.Get(item, "services")!, $"'{name}' is not an emulated service.", "use bedrock-runtime, bedrock, sts, sso-oidc or sso.");
                }
            }

            rules.Add(new FaultRule(
                spec!,
                services,
                (y.StringList(item, "operations", path, "EMU3013") ?? []).ToHashSet(StringComparer.Ordinal),
                y.Double(item, "percent", path, "EMU3014", 0, 100) ?? 100,
                y.Int(item, "times", path, "EMU3015", 0, int.MaxValue)));
        }

        return new FaultOptions
        {
            Seed = y.Int(node, "seed", Section, "EMU3001", int.MinValue, int.MaxValue) ?? 1,
            AllowHeader = y.Bool(node, "allowHeader", Section, "EMU3002") ?? true,
            Rules = rules,
        };
    }
}
