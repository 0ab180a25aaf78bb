using Basalt.Aws;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// Credentials from <c>AssumeRoleWithWebIdentity</c>, or STS's error code and a message for the user. A value, so
/// the caller can react to <c>ExpiredTokenException</c> (refresh the ID token and try once more).
/// </summary>
internal sealed record StsResult(AwsCredentials? Credentials, string? ErrorCode, string Message)
{
    public bool IsExpiredToken => ErrorCode == "ExpiredTokenException";
}
