using Basalt.Diagnostics.Reading;
namespace Basalt.Deployment;

/// <summary>
/// IAM Identity Center values recorded from its Settings page (seed 000, "Record the values"): access portal
/// URL, Identity Center home region, account and permission set. <see cref="SessionName"/> names the
/// <c>[sso-session ...]</c> section of the generated <c>~/.aws/config</c>; <see cref="ProfileName"/> names the profile
/// Claude Code and the AWS CLI use when the group signs in in-app (Claude Code has no in-app sign-in of its own).
/// </summary>
public sealed record SsoSettings(FieldValue StartUrl, FieldValue Region, FieldValue AccountId, FieldValue RoleName, string SessionName, string ProfileName);
