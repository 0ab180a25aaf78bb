using Basalt.Aws;

namespace Basalt.Bedrock;

/// <summary>
/// Where and how the Bedrock clients call: the region (and so the partition and signing scope), FIPS, an
/// endpoint override (PrivateLink, a gateway, the emulator), authentication, retries and the clock.
/// </summary>
public sealed class BedrockClientOptions
{
    public required string Region { get; init; }

    public required BedrockAuth Auth { get; init; }

    /// <summary>Use the <c>-fips</c> hosts; null means the partition's default (GovCloud: on, cowork3p-reference §5.2).</summary>
    public bool? UseFips { get; init; }

    /// <summary>Runtime base URL instead of <c>https://bedrock-runtime[-fips].{region}.{dns suffix}</c>; a path prefix is kept.</summary>
    public Uri? RuntimeEndpoint { get; init; }

    /// <summary>Control-plane base URL instead of <c>https://bedrock[-fips].{region}.{dns suffix}</c>.</summary>
    public Uri? ControlPlaneEndpoint { get; init; }

    public BedrockRetryOptions Retry { get; init; } = BedrockRetryOptions.Default;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public string UserAgent { get; init; } = "basalt";

    public AwsPartition Partition => AwsPartition.ForRegion(Region) ?? AwsPartition.Aws;

    public bool EffectiveFips => UseFips ?? Partition.PrefersFips;

    public Uri EffectiveRuntimeEndpoint => RuntimeEndpoint ?? new Uri($"https://{Partition.Host("bedrock-runtime", Region, EffectiveFips)}/");

    public Uri EffectiveControlPlaneEndpoint => ControlPlaneEndpoint ?? new Uri($"https://{Partition.Host("bedrock", Region, EffectiveFips)}/");
}
