namespace Basalt.Aws;

/// <summary>
/// Everything a SigV4 signing produced. Header auth fills <see cref="AuthorizationHeader"/> and
/// <see cref="HeadersToAdd"/>; query auth fills <see cref="QueryParameters"/> and <see cref="SignedQuery"/>.
/// <see cref="ToString"/> leaves out the canonical request and the added values (they carry the session token).
/// </summary>
public sealed class SigV4Signature
{
    internal SigV4Signature(string canonicalRequest, string stringToSign, string signature, string signedHeaders, string credentialScope, string amzDate)
    {
        CanonicalRequest = canonicalRequest;
        StringToSign = stringToSign;
        Signature = signature;
        SignedHeaders = signedHeaders;
        CredentialScope = credentialScope;
        AmzDate = amzDate;
    }

    public string CanonicalRequest { get; }

    public string StringToSign { get; }

    /// <summary>Lower-case hex signature.</summary>
    public string Signature { get; }

    /// <summary>Semicolon-separated lower-case header names, e.g. <c>host;x-amz-date</c>.</summary>
    public string SignedHeaders { get; }

    public string CredentialScope { get; }

    public string AmzDate { get; }

    /// <summary>The <c>Authorization</c> header value (header auth), else null.</summary>
    public string? AuthorizationHeader { get; init; }

    /// <summary>Headers to add to the request, in order (header auth): <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c>, <c>x-amz-content-sha256</c>, <c>Authorization</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> HeadersToAdd { get; init; } = [];

    /// <summary>The authentication parameters (query auth), decoded, in the order the SDKs append them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> QueryParameters { get; init; } = [];

    /// <summary>The full raw query to send (query auth): the original query followed by the encoded parameters.</summary>
    public string? SignedQuery { get; init; }

    public override string ToString() => $"SigV4Signature {{ Scope = {CredentialScope}, SignedHeaders = {SignedHeaders}, Signature = {Signature} }}";
}
