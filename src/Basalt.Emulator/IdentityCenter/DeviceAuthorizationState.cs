namespace Basalt.Emulator.IdentityCenter;

internal enum DeviceAuthorizationState
{
    Pending,
    Approved,
    Denied,

    /// <summary>The device code was exchanged for a token; it cannot be used again.</summary>
    Redeemed,
}
