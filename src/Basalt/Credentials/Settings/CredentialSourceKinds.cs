namespace Basalt.Credentials.Settings;

/// <summary>The settings-file names of <see cref="CredentialSourceKind"/> (also <see cref="ICredentialSource.Kind"/>).</summary>
public static class CredentialSourceKinds
{
    public const string IdentityCenter = "identity-center";
    public const string Oidc = "oidc";
    public const string AwsProfile = "aws-profile";
    public const string Static = "static";
    public const string BedrockApiKey = "bedrock-api-key";
    public const string Gateway = "gateway";

    public static IReadOnlyList<string> All { get; } = [IdentityCenter, Oidc, AwsProfile, Static, BedrockApiKey, Gateway];

    public static string ToName(CredentialSourceKind kind) => kind switch
    {
        CredentialSourceKind.IdentityCenter => IdentityCenter,
        CredentialSourceKind.Oidc => Oidc,
        CredentialSourceKind.AwsProfile => AwsProfile,
        CredentialSourceKind.Static => Static,
        CredentialSourceKind.BedrockApiKey => BedrockApiKey,
        CredentialSourceKind.Gateway => Gateway,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? name, out CredentialSourceKind kind)
    {
        switch (name)
        {
            case IdentityCenter: kind = CredentialSourceKind.IdentityCenter; return true;
            case Oidc: kind = CredentialSourceKind.Oidc; return true;
            case AwsProfile: kind = CredentialSourceKind.AwsProfile; return true;
            case Static: kind = CredentialSourceKind.Static; return true;
            case BedrockApiKey: kind = CredentialSourceKind.BedrockApiKey; return true;
            case Gateway: kind = CredentialSourceKind.Gateway; return true;
            default: kind = default; return false;
        }
    }
}
