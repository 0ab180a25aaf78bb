namespace Basalt.Emulator.Options;

/// <summary>
/// An IAM role and its trust policy, reduced to what STS checks: which principals may call AssumeRole (ARNs of
/// users, roles or an account's <c>root</c>, or <c>*</c>), the external id they must present, which OIDC issuers
/// and audiences may call AssumeRoleWithWebIdentity, and the role's maximum session duration.
/// </summary>
public sealed record RoleOptions
{
    public required string Name { get; init; }

    public required string Account { get; init; }

    public string Path { get; init; } = "/";

    /// <summary>IAM allows 1 to 12 hours; the default is one hour.</summary>
    public TimeSpan MaxSessionDuration { get; init; } = TimeSpan.FromHours(1);

    public IReadOnlyList<string> TrustedPrincipals { get; init; } = [];

    /// <summary>When set, AssumeRole must carry this <c>ExternalId</c> (the <c>sts:ExternalId</c> condition).</summary>
    public string? ExternalId { get; init; }

    public IReadOnlyList<WebIdentityTrust> WebIdentity { get; init; } = [];
}
