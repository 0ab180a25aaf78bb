namespace Basalt.Emulator.Identity;

internal enum PrincipalKind
{
    /// <summary>An IAM user (static keys, long-term Bedrock API keys).</summary>
    IamUser,

    /// <summary>A role session from AssumeRole, AssumeRoleWithWebIdentity or the portal's GetRoleCredentials.</summary>
    AssumedRole,

    /// <summary>An IAM Identity Center user signed in through the device flow (OIDC and portal calls).</summary>
    IdentityCenterUser,
}
