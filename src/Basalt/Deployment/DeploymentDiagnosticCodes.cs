using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment;

/// <summary>Stable diagnostic codes for deployment files (BSL7xxx). Tests and docs refer to these.</summary>
public static class DeploymentDiagnosticCodes
{
    public const string YamlSyntax = "BSL7001";
    public const string DuplicateKey = "BSL7002";
    public const string EmptyFile = "BSL7003";
    public const string UnknownKey = "BSL7004";
    public const string MissingKey = "BSL7005";
    public const string WrongType = "BSL7006";
    public const string InvalidValue = "BSL7007";
    public const string UnsupportedVersion = "BSL7008";
    public const string SecretReferenceSyntax = "BSL7010";
    public const string SecretNotFound = "BSL7011";
    public const string InlineSecret = "BSL7012";
    public const string SecretFileOutsideFolder = "BSL7013";
    public const string ModelScopeMismatch = "BSL7020";
    public const string ModelPartitionMismatch = "BSL7021";
    public const string UnknownModelAlias = "BSL7022";
    public const string PolicyKeyReserved = "BSL7030";
    public const string PolicyKeyUnknown = "BSL7031";
    public const string PolicyValueType = "BSL7032";
    public const string ConflictingSettings = "BSL7040";
    public const string OutputFolderNotOurs = "BSL7050";
    public const string OutputWriteFailed = "BSL7051";
    public const string ConfigValidation = "BSL7060";

    /// <summary>A group uses Basalt's own gateway (<c>auth.gateway.basalt: true</c>) but the file has no <c>gateway:</c> section.</summary>
    public const string GatewayNotConfigured = "BSL7070";

    /// <summary>A group of Basalt's gateway offers a model the gateway's <c>models:</c> does not serve.</summary>
    public const string GatewayModelNotServed = "BSL7071";

    /// <summary>A group signs in with an IdP (<c>auth.gateway.oidc</c>) that Basalt's gateway does not accept tokens from.</summary>
    public const string GatewayIssuerNotConfigured = "BSL7072";

    /// <summary>A group signs in to the gateway itself (<c>gatewaySignIn: true</c>) but the gateway is no authorization server at that URL.</summary>
    public const string GatewayAuthorizationServerNotConfigured = "BSL7073";

    /// <summary>The codes <see cref="FieldReader"/> and <see cref="YamlInputReader"/> use for deployment files.</summary>
    public static readonly InputCodes Input = new(YamlSyntax, DuplicateKey, EmptyFile, UnknownKey, MissingKey, WrongType, InvalidValue)
    {
        InlineSecret = DeploymentDiagnosticCodes.InlineSecret,
    };
}
