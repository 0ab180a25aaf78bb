namespace Basalt.Emulator.IdentityCenter;

/// <summary>
/// How Identity Center users appear in the request log. They are not IAM principals; AWS names them in the
/// identity store, so the log uses <c>arn:aws:identitystore:::user/{name}</c> with the user name as id.
/// </summary>
internal static class IdentityCenterPrincipals
{
    public static string UserArn(string userName) => $"arn:aws:identitystore:::user/{userName}";
}
