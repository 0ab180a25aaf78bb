namespace Basalt.Identity.Aws;

/// <summary>
/// A GetCallerIdentity ARN as a person: an IAM user (<c>arn:aws:iam::ACCOUNT:user/PATH/NAME</c>) or a role session
/// (<c>arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION</c>; for IAM Identity Center the role is
/// <c>AWSReservedSSO_PERMISSIONSET_HEX</c> and the session the user's name). The user id is the ARN itself: stable
/// for a person in an account, and never an email.
/// </summary>
public sealed record CallerArn(string UserId, string DisplayName, string Account, string? Role, string? PermissionSet)
{
    private const string SsoRolePrefix = "AWSReservedSSO_";

    public static CallerArn? Parse(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[1].Length == 0 || parts[4].Length != 12 || !parts[4].All(char.IsAsciiDigit))
        {
            return null;
        }

        var account = parts[4];
        var resource = parts[5];
        if (parts[2] == "iam" && resource.StartsWith("user/", StringComparison.Ordinal))
        {
            var name = resource[(resource.LastIndexOf('/') + 1)..];
            return name.Length == 0 ? null : new CallerArn(arn, name, account, null, null);
        }

        if (parts[2] == "sts" && resource.StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            var segments = resource.Split('/');
            if (segments.Length != 3 || segments[1].Length == 0 || segments[2].Length == 0)
            {
                return null;
            }

            var role = segments[1];
            string? permissionSet = null;
            if (role.StartsWith(SsoRolePrefix, StringComparison.Ordinal) && role.LastIndexOf('_') is var last && last > SsoRolePrefix.Length)
            {
                permissionSet = role[SsoRolePrefix.Length..last];
            }

            return new CallerArn(arn, segments[2], account, role, permissionSet);
        }

        return null;
    }
}
