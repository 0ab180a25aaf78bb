namespace Basalt.Aws;

/// <summary>
/// The outcome of verifying a SigV4 request: on success the caller's identity and scope, on failure the reason
/// and a message in AWS's words. <see cref="ToString"/> never prints the session token.
/// </summary>
public sealed class SigV4VerificationResult
{
    public SigV4FailureReason Failure { get; init; }

    public bool IsValid => Failure == SigV4FailureReason.None;

    /// <summary>A human-readable reason, safe to return to the caller (no secrets).</summary>
    public string Message { get; init; } = string.Empty;

    public SigV4AuthLocation Location { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SessionToken { get; init; }

    public string? Region { get; init; }

    public string? Service { get; init; }

    public DateTimeOffset? SignedAt { get; init; }

    /// <summary>For presigned requests, when they stop being valid.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The canonical request the server computed (AWS echoes it in an InvalidSignatureException).</summary>
    public string? CanonicalRequest { get; init; }

    public string? StringToSign { get; init; }

    public override string ToString()
        => IsValid
            ? $"SigV4 valid {{ AccessKeyId = {AccessKeyId}, Region = {Region}, Service = {Service}, SignedAt = {SignedAt:O}, SessionToken = {(SessionToken is null ? "none" : "***")} }}"
            : $"SigV4 {Failure}: {Message}";
}
