namespace Basalt.Credentials.Oidc;

/// <summary>
/// Chooses the interactive flow for <see cref="OidcFlow.Auto"/>. A loopback redirect only works when the browser
/// runs on the same machine as Basalt, which is false over SSH (the users' "no sign-in over SSH" complaint about
/// the AWS guidance, seeds/003) and on Linux without a graphical session; the device code works everywhere.
/// </summary>
internal static class OidcFlowSelector
{
    public static OidcFlow Resolve(OidcFlow configured, OidcProviderPreset preset, Func<string, string?> environment)
    {
        if (configured != OidcFlow.Auto)
        {
            return configured;
        }

        if (!preset.SupportsDeviceFlow)
        {
            return OidcFlow.Browser;
        }

        return IsRemoteOrHeadless(environment) ? OidcFlow.Device : OidcFlow.Browser;
    }

    internal static bool IsRemoteOrHeadless(Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(environment("SSH_CONNECTION")) || !string.IsNullOrEmpty(environment("SSH_TTY")))
        {
            return true;
        }

        // An explicit $BROWSER is a working browser command even without a display (e.g. a terminal browser).
        if (!string.IsNullOrEmpty(environment("BROWSER")))
        {
            return false;
        }

        // macOS and Windows always have a desktop session for a logged-in user; Linux and the BSDs need X11 or Wayland.
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS())
        {
            return false;
        }

        return string.IsNullOrEmpty(environment("DISPLAY")) && string.IsNullOrEmpty(environment("WAYLAND_DISPLAY"));
    }
}
