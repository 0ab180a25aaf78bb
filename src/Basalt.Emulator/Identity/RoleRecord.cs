using Basalt.Emulator.Options;

namespace Basalt.Emulator.Identity;

/// <summary>A role the emulator can issue sessions for: its options, IAM ARN and unique role id (<c>AROA...</c>).</summary>
internal sealed record RoleRecord(RoleOptions Options, string Arn, string RoleId)
{
    public string Name => Options.Name;

    public string Account => Options.Account;
}
