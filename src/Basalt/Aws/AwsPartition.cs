using System.Text.RegularExpressions;

namespace Basalt.Aws;

/// <summary>
/// An AWS partition: the namespace of ARNs and the DNS suffix of endpoints. A region belongs to exactly one.
/// Bedrock is offered in <c>aws</c>, <c>aws-us-gov</c> (GovCloud, FIPS endpoints by default for Claude
/// Desktop: cowork3p-reference §5.2) and <c>aws-cn</c>.
/// </summary>
public sealed partial record AwsPartition(string Id, string DnsSuffix, string RegionPrefix)
{
    public static readonly AwsPartition Aws = new("aws", "amazonaws.com", string.Empty);
    public static readonly AwsPartition AwsUsGov = new("aws-us-gov", "amazonaws.com", "us-gov-");
    public static readonly AwsPartition AwsCn = new("aws-cn", "amazonaws.com.cn", "cn-");

    public static IReadOnlyList<AwsPartition> All { get; } = [Aws, AwsUsGov, AwsCn];

    /// <summary>True for GovCloud, where Claude clients switch to FIPS hosts automatically.</summary>
    public bool PrefersFips => ReferenceEquals(this, AwsUsGov) || Id == AwsUsGov.Id;

    /// <summary>Region names as AWS spells them: <c>us-west-2</c>, <c>us-gov-west-1</c>, <c>ap-northeast-1</c>, <c>cn-north-1</c>.</summary>
    public static bool IsValidRegion(string? region) => region is not null && RegionPattern().IsMatch(region);

    /// <summary>The partition a region belongs to, or null when the text is not a region name.</summary>
    public static AwsPartition? ForRegion(string? region)
    {
        if (!IsValidRegion(region))
        {
            return null;
        }

        if (region!.StartsWith(AwsUsGov.RegionPrefix, StringComparison.Ordinal))
        {
            return AwsUsGov;
        }

        return region.StartsWith(AwsCn.RegionPrefix, StringComparison.Ordinal) ? AwsCn : Aws;
    }

    public static AwsPartition? FromId(string? id) => All.FirstOrDefault(p => p.Id == id);

    /// <summary>The endpoint host of a regional service, e.g. <c>bedrock-runtime.us-west-2.amazonaws.com</c>.</summary>
    public string Host(string service, string region, bool fips = false)
        => fips ? $"{service}-fips.{region}.{DnsSuffix}" : $"{service}.{region}.{DnsSuffix}";

    public override string ToString() => Id;

    [GeneratedRegex("^(?:[a-z]{2})(?:-gov|-iso[a-z]?)?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
