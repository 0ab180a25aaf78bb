namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// The file formats a managed configuration travels in (cowork3p-reference §1.2, §1.4). All but
/// <see cref="Admx"/> carry values and can be read back; ADMX/ADML is schema only.
/// </summary>
public enum ConfigFormat
{
    /// <summary>Linux <c>/etc/claude-desktop/managed-settings.json</c>: real JSON, keys at top level.</summary>
    LinuxJson = 0,

    /// <summary>An Apple configuration profile carrying the <c>com.anthropic.claudefordesktop</c> preferences.</summary>
    MobileConfig,

    /// <summary>A plain preference plist (XML or binary), as found in <c>/Library/Managed Preferences</c>.</summary>
    Plist,

    /// <summary>A Windows Registry Editor export (<c>.reg</c>) targeting <c>SOFTWARE\Policies\Claude</c>.</summary>
    Reg,

    /// <summary>
    /// The local, user-authored source: a <c>configLibrary</c> folder (<c>_meta.json</c> + <c>&lt;id&gt;.json</c>),
    /// one of its entry files, or the legacy <c>claude_desktop_config.json</c> with an <c>enterpriseConfig</c> key.
    /// </summary>
    ConfigLibrary,

    /// <summary>An idempotent PowerShell script that sets REG_SZ values under the policy key (read back only when Basalt wrote it).</summary>
    PowerShell,

    /// <summary>ADMX + ADML Group Policy templates: schema only, not readable as values.</summary>
    Admx,
}
