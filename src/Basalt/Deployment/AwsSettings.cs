using Basalt.Diagnostics.Reading;
using Basalt.Aws;

namespace Basalt.Deployment;

/// <summary>
/// Where Bedrock runs for a group: the source region (<c>inferenceBedrockRegion</c>, <c>AWS_REGION</c>), its
/// partition (GovCloud changes ARNs and endpoints), the inference-profile scope and geography that turn a
/// foundation-model id into the id the clients send, and the regions IAM policies allow.
/// </summary>
public sealed record AwsSettings(
    FieldValue Region,
    AwsPartition Partition,
    InferenceProfileScope Scope,
    string? Geography,
    FieldValue? AccountId,
    IReadOnlyList<string> AllowedRegions,
    FieldValue? BaseUrl,
    FieldValue? ServiceTier);
