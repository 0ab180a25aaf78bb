namespace Basalt.Credentials.Oidc;

/// <summary>The identity providers Basalt knows the quirks of (<see cref="OidcProviderPreset"/>).</summary>
public enum OidcProviderKind
{
    Generic = 0,
    Okta,
    Entra,
    Auth0,
    Cognito,
    Google,
}
