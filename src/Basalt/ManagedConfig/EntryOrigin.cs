namespace Basalt.ManagedConfig;

/// <summary>Which store a value came from, as far as precedence is concerned (cowork3p-reference §1.2, §1.3).</summary>
public enum EntryOrigin
{
    /// <summary>A managed source with no finer distinction (Linux managed file, a plist or profile).</summary>
    Managed = 0,

    /// <summary>macOS per-user managed plist (<c>/Library/Managed Preferences/&lt;user&gt;/…</c>), which wins over the machine one.</summary>
    ManagedUser,

    /// <summary>Windows <c>HKLM\SOFTWARE\Policies\Claude</c>.</summary>
    MachinePolicy,

    /// <summary>Windows <c>HKCU\SOFTWARE\Policies\Claude</c>.</summary>
    UserPolicy,

    /// <summary>The user-authored local store (configLibrary, legacy claude_desktop_config.json).</summary>
    Local,
}
