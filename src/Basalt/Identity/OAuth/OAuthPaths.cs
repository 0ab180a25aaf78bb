namespace Basalt.Identity.OAuth;

/// <summary>Where the authorization server's endpoints live under the gateway's base URL.</summary>
public static class OAuthPaths
{
    /// <summary>RFC 8414 §3: <c>/.well-known/oauth-authorization-server</c> (also served under <c>/v1</c>, for a base URL given with it).</summary>
    public const string Metadata = "/.well-known/oauth-authorization-server";

    public const string Authorize = "/oauth/authorize";

    public const string Token = "/oauth/token";

    public const string DeviceAuthorization = "/oauth/device_authorization";

    /// <summary>The user-code page (RFC 8628 §3.3 <c>verification_uri</c>).</summary>
    public const string Device = "/oauth/device";

    /// <summary>Where the organization's IdP sends the person back.</summary>
    public const string Callback = "/oauth/callback";

    public const string Revoke = "/oauth/revoke";

    public const string Jwks = "/oauth/jwks";
}
