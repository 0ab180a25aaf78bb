using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Basalt.Aws;

namespace Basalt.Bedrock;

/// <summary>
/// A parsed Bedrock model identifier as Claude Desktop and Claude Code accept it in <c>inferenceModels</c>
/// (cowork3p-reference §7.2): a system inference profile (<c>us.</c>, <c>eu.</c>, <c>apac.</c>, <c>jp.</c>,
/// <c>au.</c>, <c>ca.</c>, <c>us-gov.</c>, <c>global.</c> + a foundation ID), a foundation-model ID, or an ARN of a
/// foundation model, inference profile, application inference profile, provisioned model or custom model.
/// </summary>
public sealed partial record BedrockModelId
{
    /// <summary>System inference-profile prefixes AWS publishes, mapped to the region prefixes they route within.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> GeoPrefixes { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        // "us" covers the commercial US regions only; GovCloud has its own "us-gov" profiles.
        ["us"] = ["us-east-", "us-west-"],
        ["us-gov"] = ["us-gov-"],
        ["eu"] = ["eu-"],
        ["apac"] = ["ap-"],
        ["jp"] = ["ap-northeast-1", "ap-northeast-3"],
        ["au"] = ["ap-southeast-2", "ap-southeast-4"],
        ["ca"] = ["ca-"],
        // Global profiles route anywhere in the commercial partition.
        ["global"] = [string.Empty],
    };

    private BedrockModelId(string value, BedrockModelIdKind kind)
    {
        Value = value;
        Kind = kind;
    }

    /// <summary>The identifier exactly as written.</summary>
    public string Value { get; }

    public BedrockModelIdKind Kind { get; }

    /// <summary>The system inference-profile prefix (<c>us</c>, <c>eu</c>, <c>global</c>…), when there is one.</summary>
    public string? GeoPrefix { get; private init; }

    /// <summary>The model vendor of a foundation ID (<c>anthropic</c>, <c>amazon</c>…).</summary>
    public string? Vendor { get; private init; }

    /// <summary>The foundation-model ID inside a profile ID or ARN (<c>anthropic.claude-x-v1:0</c>).</summary>
    public string? FoundationModelId { get; private init; }

    /// <summary>ARN partition (<c>aws</c>, <c>aws-us-gov</c>, <c>aws-cn</c>).</summary>
    public string? Partition { get; private init; }

    /// <summary>ARN region.</summary>
    public string? Region { get; private init; }

    /// <summary>ARN account (12 digits; empty for foundation-model ARNs).</summary>
    public string? AccountId { get; private init; }

    /// <summary>The resource id after the resource type in an ARN.</summary>
    public string? ResourceId { get; private init; }

    public bool IsArn => Partition is not null;

    /// <summary>True for identifiers that name a Claude model by ID (ARNs of application profiles and provisioned models hide the model).</summary>
    public bool IsAnthropic => string.Equals(Vendor, "anthropic", StringComparison.Ordinal);

    /// <summary>
    /// ARNs that do not show the model: the picker would show the raw ARN, so an <c>inferenceModels</c> entry for
    /// them should carry a <c>labelOverride</c> (Bedrock page, "Configuration keys").
    /// </summary>
    public bool NeedsLabel => Kind is BedrockModelIdKind.ApplicationInferenceProfileArn or BedrockModelIdKind.ProvisionedModelArn or BedrockModelIdKind.CustomModelArn;

    public static BedrockModelId Parse(string value)
        => TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a Bedrock model identifier");

    /// <summary>
    /// Classifies <paramref name="value"/>. Returns false (with <see cref="BedrockModelIdKind.Unknown"/>) for text that
    /// is not a Bedrock model identifier; the out value is still set so callers can report what was seen.
    /// </summary>
    public static bool TryParse(string? value, [NotNull] out BedrockModelId? id)
    {
        value ??= string.Empty;
        id = new BedrockModelId(value, BedrockModelIdKind.Unknown);
        if (value.StartsWith("arn:", StringComparison.Ordinal))
        {
            return TryParseArn(value, ref id);
        }

        var m = FoundationPattern().Match(value);
        if (!m.Success)
        {
            return false;
        }

        var first = m.Groups["first"].Value;
        var rest = m.Groups["rest"].Value;
        if (GeoPrefixes.ContainsKey(first))
        {
            var inner = FoundationPattern().Match(rest);
            if (inner.Success && !GeoPrefixes.ContainsKey(inner.Groups["first"].Value))
            {
                id = new BedrockModelId(value, BedrockModelIdKind.SystemInferenceProfile)
                {
                    GeoPrefix = first,
                    Vendor = inner.Groups["first"].Value,
                    FoundationModelId = rest,
                };
                return true;
            }

            return false;
        }

        if (LooksLikeUnknownGeoPrefix(value))
        {
            return false;
        }

        id = new BedrockModelId(value, BedrockModelIdKind.FoundationModel) { Vendor = first, FoundationModelId = value };
        return true;
    }

    /// <summary>True when <paramref name="value"/> looks like a profile ID with a prefix AWS does not publish (e.g. <c>usa.anthropic.…</c>).</summary>
    public static bool LooksLikeUnknownGeoPrefix(string value)
    {
        var parts = value.Split('.');
        return parts.Length >= 3 && !GeoPrefixes.ContainsKey(parts[0]) && KnownVendors.Contains(parts[1]);
    }

    /// <summary>Vendors publishing models on Bedrock, used only to tell an unknown prefix from a vendor name.</summary>
    public static IReadOnlySet<string> KnownVendors { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "anthropic", "amazon", "meta", "mistral", "cohere", "ai21", "deepseek", "openai", "qwen", "writer", "stability", "twelvelabs",
    };

    /// <summary>
    /// Whether this identifier can be invoked from <paramref name="region"/>: a profile's prefix must route within
    /// the region's geography, and an ARN's region and partition must match.
    /// </summary>
    public bool IsUsableFrom(string region)
    {
        if (IsArn)
        {
            return string.Equals(Region, region, StringComparison.Ordinal)
                && string.Equals(Partition, AwsPartition.ForRegion(region)?.Id, StringComparison.Ordinal);
        }

        if (Kind != BedrockModelIdKind.SystemInferenceProfile || GeoPrefix is null)
        {
            return true;
        }

        if (GeoPrefix == "global")
        {
            return ReferenceEquals(AwsPartition.ForRegion(region), AwsPartition.Aws);
        }

        if (GeoPrefix == "us" && region.StartsWith("us-gov-", StringComparison.Ordinal))
        {
            return false;
        }

        return GeoPrefixes[GeoPrefix].Any(p => region.StartsWith(p, StringComparison.Ordinal));
    }

    /// <summary>The system-profile prefix to suggest for a foundation ID invoked from <paramref name="region"/>.</summary>
    public static string? SuggestedGeoPrefix(string region)
    {
        if (region.StartsWith("us-gov-", StringComparison.Ordinal))
        {
            return "us-gov";
        }

        foreach (var (prefix, regionPrefixes) in GeoPrefixes)
        {
            if (prefix is "global" or "jp" or "au")
            {
                continue;
            }

            if (regionPrefixes.Any(p => region.StartsWith(p, StringComparison.Ordinal)))
            {
                return prefix;
            }
        }

        return null;
    }

    public override string ToString() => Value;

    private static bool TryParseArn(string value, ref BedrockModelId id)
    {
        // arn:partition:service:region:account:resource-type/resource-id (resource ids may contain ':' and '/').
        var parts = value.Split(':', 6);
        if (parts.Length != 6 || parts[2] != "bedrock" || AwsPartition.FromId(parts[1]) is null || !AwsPartition.IsValidRegion(parts[3]))
        {
            return false;
        }

        var slash = parts[5].IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == parts[5].Length - 1)
        {
            return false;
        }

        var type = parts[5][..slash];
        var resource = parts[5][(slash + 1)..];
        var account = parts[4];
        var accountOk = AccountPattern().IsMatch(account);
        BedrockModelIdKind kind;
        string? foundation = null;
        string? vendor = null;
        string? geo = null;
        switch (type)
        {
            case "foundation-model" when account.Length == 0:
                if (!TryParse(resource, out var f) || f.Kind != BedrockModelIdKind.FoundationModel)
                {
                    return false;
                }

                kind = BedrockModelIdKind.FoundationModelArn;
                foundation = resource;
                vendor = f.Vendor;
                break;
            case "inference-profile" when accountOk:
                if (!TryParse(resource, out var p) || p.Kind != BedrockModelIdKind.SystemInferenceProfile)
                {
                    return false;
                }

                kind = BedrockModelIdKind.SystemInferenceProfileArn;
                foundation = p.FoundationModelId;
                vendor = p.Vendor;
                geo = p.GeoPrefix;
                break;
            case "application-inference-profile" when accountOk && ResourcePattern().IsMatch(resource):
                kind = BedrockModelIdKind.ApplicationInferenceProfileArn;
                break;
            case "provisioned-model" when accountOk && ResourcePattern().IsMatch(resource):
                kind = BedrockModelIdKind.ProvisionedModelArn;
                break;
            case "custom-model" or "imported-model" when accountOk:
                kind = BedrockModelIdKind.CustomModelArn;
                break;
            default:
                return false;
        }

        id = new BedrockModelId(value, kind)
        {
            Partition = parts[1],
            Region = parts[3],
            AccountId = account,
            ResourceId = resource,
            FoundationModelId = foundation,
            Vendor = vendor,
            GeoPrefix = geo,
        };
        return true;
    }

    // vendor.model where model is letters, digits, '-', '.', ':' (e.g. claude-x-20240620-v1:0).
    [GeneratedRegex(@"^(?<first>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?<rest>[a-z0-9][a-z0-9.:\-]*[a-z0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex FoundationPattern();

    [GeneratedRegex(@"^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9._\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourcePattern();
}
