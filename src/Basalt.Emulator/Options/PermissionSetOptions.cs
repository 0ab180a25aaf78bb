namespace Basalt.Emulator.Options;

/// <summary>
/// An IAM Identity Center permission set and who has it where. The portal's GetRoleCredentials issues session
/// credentials for the role <c>AWSReservedSSO_{Name}_{suffix}</c> in each assigned account.
/// </summary>
public sealed record PermissionSetOptions
{
    public required string Name { get; init; }

    /// <summary>Lifetime of the role credentials the portal issues (IAM Identity Center's default is one hour).</summary>
    public TimeSpan SessionDuration { get; init; } = TimeSpan.FromHours(1);

    public IReadOnlyList<PermissionSetAssignment> Assignments { get; init; } = [];
}
