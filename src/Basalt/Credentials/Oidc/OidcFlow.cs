namespace Basalt.Credentials.Oidc;

/// <summary>How an interactive OIDC sign-in is done.</summary>
public enum OidcFlow
{
    /// <summary>
    /// The device-code grant on SSH sessions and machines without a display, the browser otherwise
    /// (<see cref="OidcFlowSelector"/>).
    /// </summary>
    Auto = 0,

    /// <summary>Authorization code + PKCE with a loopback redirect (RFC 8252) in the user's browser.</summary>
    Browser,

    /// <summary>The device authorization grant (RFC 8628): a code the user enters on any device with a browser.</summary>
    Device,
}
