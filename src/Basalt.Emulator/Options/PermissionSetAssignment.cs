namespace Basalt.Emulator.Options;

/// <summary>Users (by name) who receive a permission set in one account.</summary>
public sealed record PermissionSetAssignment
{
    public required string Account { get; init; }

    public IReadOnlyList<string> Users { get; init; } = [];
}
