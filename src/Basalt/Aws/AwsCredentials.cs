namespace Basalt.Aws;

/// <summary>
/// A set of AWS credentials: long-term (no session token, no expiry) or temporary (STS, IAM Identity Center).
/// <see cref="ToString"/> never prints the secret or the session token.
/// </summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null, DateTimeOffset? Expiration = null)
{
    public bool IsTemporary => SessionToken is not null;

    /// <summary>True when the credentials expire within <paramref name="margin"/> of <paramref name="now"/>.</summary>
    public bool ExpiresWithin(TimeSpan margin, DateTimeOffset now) => Expiration is { } e && e - now <= margin;

    public override string ToString()
        => $"AwsCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = ***, SessionToken = {(SessionToken is null ? "none" : "***")}, Expiration = {Expiration:O} }}";
}
