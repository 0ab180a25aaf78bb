namespace Basalt.Aws;

/// <summary>Why a request failed SigV4 verification; a host maps each to its AWS error code.</summary>
public enum SigV4FailureReason
{
    /// <summary>The request verified.</summary>
    None = 0,

    /// <summary>No SigV4 authentication at all (AWS: <c>MissingAuthenticationTokenException</c>).</summary>
    Missing,

    /// <summary>The authentication is present but cannot be parsed (AWS: <c>IncompleteSignatureException</c>).</summary>
    Malformed,

    /// <summary>The access key id is not known (AWS: <c>UnrecognizedClientException</c>).</summary>
    UnknownAccessKey,

    /// <summary>The signature does not match (AWS: <c>InvalidSignatureException</c>).</summary>
    InvalidSignature,

    /// <summary>A presigned request is past <c>X-Amz-Date</c> + <c>X-Amz-Expires</c>.</summary>
    Expired,

    /// <summary>The signing time is too far from the server's clock (AWS: <c>InvalidSignatureException</c> "Signature expired").</summary>
    SkewTooLarge,
}
