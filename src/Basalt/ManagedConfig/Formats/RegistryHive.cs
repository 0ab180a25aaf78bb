namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Which policy hive a Windows export targets. Machine policy wins and, from v1.19367.0, hides the user hive
/// entirely (cowork3p-reference §1.3), so fleets use <see cref="LocalMachine"/>; the in-app export uses
/// <see cref="CurrentUser"/>, fine for a single test machine (§1.4).
/// </summary>
public enum RegistryHive
{
    /// <summary><c>HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Claude</c>.</summary>
    LocalMachine = 0,

    /// <summary><c>HKEY_CURRENT_USER\SOFTWARE\Policies\Claude</c>.</summary>
    CurrentUser,
}
