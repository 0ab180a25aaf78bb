using Basalt.Bedrock;

namespace Basalt.Deployment;

/// <summary>
/// The regions a system inference profile of each geography may route to, used as the default
/// <c>aws.allowedRegions</c> that IAM policies and the CloudFormation template are scoped to. AWS adds
/// destination regions over time, so the file can list them explicitly instead.
/// </summary>
internal static class BedrockDestinationRegions
{
    private static readonly Dictionary<string, string[]> ByGeography = new(StringComparer.Ordinal)
    {
        ["us"] = ["us-east-1", "us-east-2", "us-west-1", "us-west-2"],
        ["us-gov"] = ["us-gov-east-1", "us-gov-west-1"],
        ["eu"] = ["eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"],
        ["apac"] = ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-4"],
        ["jp"] = ["ap-northeast-1", "ap-northeast-3"],
        ["au"] = ["ap-southeast-2", "ap-southeast-4"],
        ["ca"] = ["ca-central-1", "ca-west-1"],
    };

    /// <summary>Geographies a cross-region profile can use (every published prefix except <c>global</c>).</summary>
    public static IReadOnlyList<string> Geographies { get; } = BedrockModelId.GeoPrefixes.Keys.Where(k => k != "global").Order(StringComparer.Ordinal).ToArray();

    /// <summary>The source region plus, for cross-region scope, the geography's destinations; sorted.</summary>
    public static IReadOnlyList<string> Default(string region, InferenceProfileScope scope, string? geography)
    {
        var regions = new SortedSet<string>(StringComparer.Ordinal) { region };
        if (scope == InferenceProfileScope.CrossRegion && geography is not null && ByGeography.TryGetValue(geography, out var destinations))
        {
            regions.UnionWith(destinations);
        }

        return regions.ToArray();
    }

    /// <summary>Whether a <paramref name="geography"/> profile can be invoked from <paramref name="region"/> (h1's model-id rules).</summary>
    public static bool IsUsable(string geography, string region)
        => BedrockModelId.TryParse($"{geography}.anthropic.claude-probe-v1:0", out var probe) && probe.IsUsableFrom(region);
}
