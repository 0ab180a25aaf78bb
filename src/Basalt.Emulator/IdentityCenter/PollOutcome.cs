namespace Basalt.Emulator.IdentityCenter;

internal enum PollOutcome
{
    Issued,
    Pending,
    SlowDown,
    Denied,
    Expired,
    InvalidGrant,
}
