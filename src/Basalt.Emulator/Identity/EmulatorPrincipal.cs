namespace Basalt.Emulator.Identity;

/// <summary>
/// Who made a call, as AWS would name them. <see cref="UserId"/> is what GetCallerIdentity returns (an IAM user's
/// unique id, or <c>{roleId}:{sessionName}</c> for a role session); <see cref="UserName"/> is the human-readable
/// name (IAM or Identity Center user name, or the role session name).
/// </summary>
internal sealed record EmulatorPrincipal(
    PrincipalKind Kind,
    string Arn,
    string AccountId,
    string UserId,
    string UserName)
{
    /// <summary>For a role session: the role's IAM ARN (<c>arn:aws:iam::acct:role/Name</c>), used for role-chaining trust.</summary>
    public string? RoleArn { get; init; }

    /// <summary>Session tags from AssumeRole (<c>Tags.member.N</c>) or inherited transitive tags.</summary>
    public IReadOnlyDictionary<string, string> SessionTags { get; init; } = new Dictionary<string, string>();

    /// <summary>Tag keys that pass on to sessions assumed from this one (role chaining).</summary>
    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];

    /// <summary>True for credentials that came from a role session (AssumeRole limits chained sessions to one hour).</summary>
    public bool IsRoleSession => Kind == PrincipalKind.AssumedRole;
}
