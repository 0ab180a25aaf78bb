using System.Globalization;
using System.Text.RegularExpressions;
using Basalt.Bedrock.Models;

namespace Basalt.Bedrock;

/// <summary>
/// Picks and orders the Claude models usable in a region from the control-plane listings, for when no model list
/// is configured (cowork3p-reference §7.3: Bedrock discovery). Only active entries count; a system profile must
/// route within the region's geography; a foundation model counts only if it is invocable on demand.
/// Order: newest model generation first (by version, then opus, sonnet, haiku, then release date), and for one
/// model the geographic profile, then global, then in-region, then application profiles.
/// </summary>
public static partial class ClaudeModelDiscovery
{
    public static IReadOnlyList<ClaudeModelOption> Rank(IEnumerable<BedrockInferenceProfile> profiles, IEnumerable<BedrockFoundationModel> foundationModels, string region)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(foundationModels);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new List<ClaudeModelOption>();
        foreach (var model in foundationModels)
        {
            if (!IsClaude(model.ModelId) || !model.IsActive || (model.OutputModalities.Count > 0 && !model.OutputModalities.Contains("TEXT", StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (model.ModelName is { } name)
            {
                names[model.ModelId] = name;
            }

            if (model.SupportsOnDemand)
            {
                options.Add(Option(model.ModelId, model.ModelName ?? model.ModelId, ClaudeModelRouting.InRegion, model.ModelId));
            }
        }

        foreach (var profile in profiles)
        {
            if (!profile.IsActive)
            {
                continue;
            }

            if (string.Equals(profile.Type, "APPLICATION", StringComparison.OrdinalIgnoreCase))
            {
                var foundation = profile.ModelArns.Select(FoundationIdFromArn).FirstOrDefault(IsClaude);
                if (foundation is not null)
                {
                    options.Add(Option(profile.Arn ?? profile.Id, profile.Name ?? profile.Id, ClaudeModelRouting.Application, foundation));
                }

                continue;
            }

            if (!BedrockModelId.TryParse(profile.Id, out var id) || id.Kind != BedrockModelIdKind.SystemInferenceProfile || !id.IsAnthropic || !id.IsUsableFrom(region))
            {
                continue;
            }

            var routing = id.GeoPrefix == "global" ? ClaudeModelRouting.Global : ClaudeModelRouting.Geographic;
            var display = profile.Name ?? (id.FoundationModelId is { } f && names.TryGetValue(f, out var n) ? n : profile.Id);
            options.Add(Option(profile.Id, display, routing, id.FoundationModelId));
        }

        return [.. options
            .DistinctBy(o => o.Id, StringComparer.Ordinal)
            .OrderByDescending(o => ParseVersion(o.Version))
            .ThenBy(o => FamilyRank(o.Family))
            .ThenByDescending(o => o.ReleaseDate ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(o => o.FoundationModelId ?? o.Id, StringComparer.Ordinal)
            .ThenBy(o => o.Routing)
            .ThenBy(o => o.Id, StringComparer.Ordinal)];
    }

    internal static bool IsClaude(string? foundationModelId)
        => foundationModelId is not null && foundationModelId.StartsWith("anthropic.claude", StringComparison.Ordinal);

    private static ClaudeModelOption Option(string id, string display, ClaudeModelRouting routing, string? foundation)
    {
        // The catalogue knows current models; the name pattern covers models released after it.
        if (foundation is not null && ModelCatalogue.Default.Find(foundation) is { } known)
        {
            return new ClaudeModelOption(id, display, routing, foundation, known.Family, known.Version, known.ReleaseDate?.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        }

        var m = foundation is null ? Match.Empty : ClaudeName().Match(foundation);
        string? family = null, version = null, date = null;
        if (m.Success)
        {
            family = m.Groups["family"].Value;
            version = m.Groups["minor"].Success ? $"{m.Groups["major"].Value}.{m.Groups["minor"].Value}" : m.Groups["major"].Value;
            date = m.Groups["date"].Success ? m.Groups["date"].Value : null;
        }

        return new ClaudeModelOption(id, display, routing, foundation, family, version, date);
    }

    private static string? FoundationIdFromArn(string arn)
    {
        var slash = arn.LastIndexOf('/');
        var id = slash >= 0 ? arn[(slash + 1)..] : arn;
        return BedrockModelId.TryParse(id, out var parsed) ? parsed.FoundationModelId : id;
    }

    private static double ParseVersion(string? version)
        => double.TryParse(version, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>Larger tiers first: the catalogue lists families from the smallest tier up.</summary>
    private static int FamilyRank(string? family)
    {
        var families = ModelCatalogue.Default.Families;
        var index = family is null ? -1 : Array.IndexOf([.. families], family);
        return index < 0 ? int.MaxValue : families.Count - 1 - index;
    }

    // claude-<family>-<major>[-<minor>][-<date>] and the older claude-<major>[-<minor>]-<family>[-<date>].
    [GeneratedRegex(@"claude-(?:(?<family>[a-z]+)-(?<major>\d+)(?:-(?<minor>\d)(?!\d))?|(?<major>\d+)(?:-(?<minor>\d)(?!\d))?-(?<family>[a-z]+))(?:-(?<date>\d{8}))?", RegexOptions.CultureInvariant)]
    private static partial Regex ClaudeName();
}
