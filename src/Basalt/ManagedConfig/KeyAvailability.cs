namespace Basalt.ManagedConfig;

/// <summary>Which delivery channel may set a key (cowork3p-reference §2, "Avail." column of the newest reference).</summary>
public enum KeyAvailability
{
    /// <summary>MDM (managed profile/registry/managed file) or a bootstrap response.</summary>
    MdmAndBootstrap = 0,

    /// <summary>Only from MDM or the local file; a bootstrap response cannot set it.</summary>
    Mdm,

    /// <summary>Only from a bootstrap response.</summary>
    Bootstrap,
}
