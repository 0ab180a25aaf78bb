using Basalt.Credentials.Browser;

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

    internal static bool IsRemoteOrHeadless(Func<string, string?> environment) => !new BrowserLauncher(environment).CanOpenLocally;
}
