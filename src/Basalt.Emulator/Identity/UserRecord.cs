using Basalt.Emulator.Options;

namespace Basalt.Emulator.Identity;

/// <summary>A configured user with the IAM identity the emulator gave it at start.</summary>
internal sealed record UserRecord(UserOptions Options, EmulatorPrincipal Principal)
{
    public string Name => Options.Name;
}
