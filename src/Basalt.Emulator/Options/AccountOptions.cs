namespace Basalt.Emulator.Options;

/// <summary>An AWS account the emulator knows: its 12-digit id, display name and e-mail (the portal's ListAccounts shows both).</summary>
public sealed record AccountOptions
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }
}
