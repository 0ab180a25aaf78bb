namespace Basalt.Aws;

/// <summary>
/// Signing switches. The defaults are what every AWS service except S3 expects (Bedrock, STS): normalized,
/// double-encoded path, real payload hash, no <c>x-amz-content-sha256</c> header. The names follow the
/// options of the official test suite's <c>context.json</c>.
/// </summary>
public sealed record SigV4SigningOptions
{
    public static SigV4SigningOptions Default { get; } = new();

    /// <summary>S3: no path normalization, single encoding, and the payload hash sent as <c>x-amz-content-sha256</c>.</summary>
    public static SigV4SigningOptions S3 { get; } = new() { NormalizePath = false, DoubleUriEncode = false, AddContentSha256Header = true };

    /// <summary>Remove dot and empty path segments before encoding (<c>normalize</c>).</summary>
    public bool NormalizePath { get; init; } = true;

    /// <summary>Encode the already-encoded path again (all services but S3).</summary>
    public bool DoubleUriEncode { get; init; } = true;

    /// <summary>Send and sign the payload hash as <c>x-amz-content-sha256</c> (<c>sign_body</c>; S3-style). Header auth only.</summary>
    public bool AddContentSha256Header { get; init; }

    /// <summary>Sign <see cref="SigV4.UnsignedPayload"/> instead of hashing the body.</summary>
    public bool UnsignedPayload { get; init; }

    /// <summary>Add the session token after signing, outside the signature (<c>omit_session_token</c>; IoT-style).</summary>
    public bool OmitSessionToken { get; init; }
}
