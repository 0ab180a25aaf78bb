namespace Basalt.Emulator.IdentityCenter;

internal enum ApprovalOutcome
{
    Approved,
    Denied,
    UnknownCode,
    Expired,
    AlreadyDecided,
}
