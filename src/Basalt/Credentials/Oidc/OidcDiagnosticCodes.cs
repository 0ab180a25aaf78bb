namespace Basalt.Credentials.Oidc;

/// <summary>Stable diagnostic codes for the <c>oidc</c> credential source section (BSL41xx). Tests and docs refer to these.</summary>
public static class OidcDiagnosticCodes
{
    /// <summary>The section is not an object.</summary>
    public const string NotAnObject = "BSL4101";

    /// <summary>A required field is missing or blank.</summary>
    public const string MissingField = "BSL4102";

    /// <summary>A field has the wrong type (a number where a string belongs, a scope that is not one word).</summary>
    public const string WrongType = "BSL4103";

    /// <summary>The issuer is not an absolute https URL without query or fragment.</summary>
    public const string InvalidIssuer = "BSL4104";

    /// <summary>The issuer is the discovery document's URL, not the issuer (cowork3p-reference §6.3).</summary>
    public const string MetadataUrlAsIssuer = "BSL4105";

    /// <summary>An unknown preset name.</summary>
    public const string UnknownPreset = "BSL4106";

    /// <summary>The preset does not match the issuer's host (a warning: custom domains are fine).</summary>
    public const string PresetMismatch = "BSL4107";

    /// <summary>An Entra ID issuer that is multi-tenant or not v2.0.</summary>
    public const string EntraIssuer = "BSL4108";

    /// <summary>The loopback redirect port is out of range.</summary>
    public const string RedirectPort = "BSL4109";

    /// <summary><c>openid</c> is missing from the scopes (a warning: it is added).</summary>
    public const string OpenIdScopeMissing = "BSL4110";

    /// <summary>The role is not an IAM role ARN.</summary>
    public const string RoleArn = "BSL4111";

    /// <summary>The region is not a region, or not in the role's partition.</summary>
    public const string Region = "BSL4112";

    /// <summary>The session duration is outside IAM's 900–43200 seconds.</summary>
    public const string SessionDuration = "BSL4113";

    /// <summary>An unknown sign-in flow.</summary>
    public const string Flow = "BSL4114";

    /// <summary>An unknown field (a warning: it is ignored).</summary>
    public const string UnknownField = "BSL4115";

    /// <summary>The STS endpoint is not an https URL (or a loopback one).</summary>
    public const string StsEndpoint = "BSL4116";

    /// <summary>The device flow was asked of an IdP that has no device authorization grant.</summary>
    public const string NoDeviceFlow = "BSL4117";
}
