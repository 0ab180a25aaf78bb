namespace Basalt.Deployment.Planning;

/// <summary>
/// What one group's devices get: per platform, the ordered managed-configuration entries (the credential
/// helper path is the only platform-specific value). Order: provider and credential kind first, then the
/// provider's keys, models, organization, policy and telemetry as written.
/// </summary>
public sealed record GroupPlan(DeploymentGroup Group, IReadOnlyDictionary<DeploymentPlatform, IReadOnlyList<PlannedEntry>> Entries)
{
    public IReadOnlyList<PlannedEntry> EntriesFor(DeploymentPlatform platform) => Entries[platform];

    /// <summary>The AWS profile Claude Code and the AWS CLI use for this group, or null when none is involved.</summary>
    public string? AwsProfileName => Group.Auth.Approach switch
    {
        AuthApproach.NamedProfile => Group.Auth.Profile!.Name.Value,
        AuthApproach.AwsSignIn => Group.Auth.Sso!.ProfileName,
        AuthApproach.CredentialHelper => Group.Auth.Helper!.ProfileName,
        _ => null,
    };
}
