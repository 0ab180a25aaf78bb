namespace Basalt.Aws;

/// <summary>
/// A transport-neutral view of an HTTP request for signing and verifying. The path and query are exactly as
/// they travel on the request line (still percent-encoded; a server passes the raw target, e.g. Kestrel's
/// <c>IHttpRequestFeature.RawTarget</c>, never the decoded path), headers are (name, value) pairs in arrival
/// order including <c>Host</c>.
/// </summary>
public sealed class SigV4Request
{
    public required string Method { get; init; }

    /// <summary>The raw path, e.g. <c>/model/us.anthropic.claude-x-v1%3A0/invoke</c>.</summary>
    public string RawPath { get; init; } = "/";

    /// <summary>The raw query without the leading <c>?</c>, or null.</summary>
    public string? RawQuery { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The body; hashed when <see cref="PayloadHash"/> is not given.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>A precomputed lower-case hex SHA-256 of the body, or <see cref="SigV4.UnsignedPayload"/>.</summary>
    public string? PayloadHash { get; init; }

    /// <summary>The first value of a header (case-insensitive), or null.</summary>
    public string? GetHeader(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    internal string ComputePayloadHash() => PayloadHash ?? (Body.IsEmpty ? SigV4.EmptyPayloadHash : SigV4.HashHex(Body.Span));
}
