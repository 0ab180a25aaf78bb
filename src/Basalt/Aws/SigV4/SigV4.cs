using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Basalt.Aws;

/// <summary>
/// The pure building blocks of AWS Signature Version 4 (canonical request, string to sign, signing key,
/// signature). <see cref="SigV4Signer"/> and <see cref="SigV4Verifier"/> both use these functions, so a
/// request Basalt signs and a request Basalt verifies go through the same byte-for-byte canonicalization,
/// proven against the official test suite (tests/testdata/aws-sigv4-test-suite).
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string Terminator = "aws4_request";

    /// <summary>SHA-256 of the empty string, the payload hash of a request without a body.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public const string AmzDateHeader = "x-amz-date";
    public const string SecurityTokenHeader = "x-amz-security-token";
    public const string ContentSha256Header = "x-amz-content-sha256";

    public const string AlgorithmQueryParameter = "X-Amz-Algorithm";
    public const string CredentialQueryParameter = "X-Amz-Credential";
    public const string DateQueryParameter = "X-Amz-Date";
    public const string ExpiresQueryParameter = "X-Amz-Expires";
    public const string SecurityTokenQueryParameter = "X-Amz-Security-Token";
    public const string SignedHeadersQueryParameter = "X-Amz-SignedHeaders";
    public const string SignatureQueryParameter = "X-Amz-Signature";

    /// <summary>A presigned URL lives at most seven days (SigV4 query authentication limit).</summary>
    public static readonly TimeSpan MaxPresignLifetime = TimeSpan.FromDays(7);

    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Headers the AWS SDKs never sign: hop-by-hop or rewritten by proxies (smithy ALWAYS_UNSIGNABLE_HEADERS).</summary>
    private static readonly HashSet<string> Unsignable = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "cache-control", "connection", "expect", "from", "keep-alive", "max-forwards", "pragma",
        "referer", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    };

    /// <summary>True for headers a signer should include; false for hop-by-hop headers proxies may rewrite.</summary>
    public static bool IsSignableHeader(string name) => !Unsignable.Contains(name);

    public static string FormatAmzDate(DateTimeOffset time) => time.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    public static string FormatDateStamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static bool TryParseAmzDate(string? text, out DateTimeOffset time)
    {
        if (text is not null && DateTime.TryParseExact(text, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = new DateTimeOffset(parsed, TimeSpan.Zero);
            return true;
        }

        time = default;
        return false;
    }

    /// <summary><c>{yyyyMMdd}/{region}/{service}/aws4_request</c>.</summary>
    public static string CredentialScope(string dateStamp, string region, string service) => $"{dateStamp}/{region}/{service}/{Terminator}";

    /// <summary>
    /// The canonical URI from the path exactly as it travels on the request line. With
    /// <paramref name="doubleEncode"/> (every service but S3) each byte that is not unreserved is
    /// percent-encoded, including the <c>%</c> of existing escapes, which is the "double encoding" the SDKs
    /// apply: <c>/model/a%3A0</c> signs as <c>/model/a%253A0</c>. With <paramref name="normalize"/> dot segments
    /// and empty segments are removed first (RFC 3986 §5.2.4), keeping a trailing slash.
    /// </summary>
    public static string CanonicalUri(string? rawPath, bool normalize = true, bool doubleEncode = true)
    {
        var path = string.IsNullOrEmpty(rawPath) ? "/" : rawPath;
        if (path[0] != '/')
        {
            path = "/" + path;
        }

        if (normalize)
        {
            path = NormalizePath(path);
        }

        return doubleEncode ? UriEncode(path, encodeSlash: false) : EncodeKeepingEscapes(path);
    }

    /// <summary>
    /// The canonical query string: each parameter's name and value percent-decoded and then strictly encoded
    /// (RFC 3986 unreserved characters only, a space as <c>%20</c>), sorted by name then value, joined with
    /// <c>&amp;</c>. A parameter without <c>=</c> has an empty value. <paramref name="exclude"/> names
    /// parameters to leave out (the verifier leaves out <c>X-Amz-Signature</c>).
    /// </summary>
    public static string CanonicalQuery(string? rawQuery, params string[] exclude)
    {
        var pairs = ParseQuery(rawQuery);
        var encoded = new List<(string Key, string Value)>(pairs.Count);
        foreach (var (key, value) in pairs)
        {
            if (Array.IndexOf(exclude, key) >= 0)
            {
                continue;
            }

            encoded.Add((UriEncode(key, encodeSlash: true), UriEncode(value, encodeSlash: true)));
        }

        encoded.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Key, b.Key);
            return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value);
        });

        var sb = new StringBuilder();
        foreach (var (key, value) in encoded)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(key).Append('=').Append(value);
        }

        return sb.ToString();
    }

    /// <summary>Splits a raw query string into percent-decoded (name, value) pairs, in order. <c>+</c> stays a plus.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string? rawQuery)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(rawQuery))
        {
            return result;
        }

        var query = rawQuery[0] == '?' ? rawQuery[1..] : rawQuery;
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? string.Empty : part[(eq + 1)..];
            result.Add(new(PercentDecode(key), PercentDecode(value)));
        }

        return result;
    }

    /// <summary>
    /// Canonical headers and the signed-header list. Names are lower-cased; repeated headers are joined with
    /// <c>,</c> in the order they appear; each value is trimmed and every run of whitespace (including an
    /// obsolete line fold) becomes one space. <paramref name="include"/> filters by lower-case name.
    /// </summary>
    public static (string CanonicalHeaders, string SignedHeaders) CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var grouped = new SortedDictionary<string, StringBuilder>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var lower = name.Trim().ToLowerInvariant();
            if (include is not null && !include(lower))
            {
                continue;
            }

            var canonicalValue = CanonicalHeaderValue(value);
            if (grouped.TryGetValue(lower, out var existing))
            {
                existing.Append(',').Append(canonicalValue);
            }
            else
            {
                grouped[lower] = new StringBuilder(canonicalValue);
            }
        }

        var canonical = new StringBuilder();
        var signed = new StringBuilder();
        foreach (var (name, value) in grouped)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
            if (signed.Length > 0)
            {
                signed.Append(';');
            }

            signed.Append(name);
        }

        return (canonical.ToString(), signed.ToString());
    }

    /// <summary>Trims and collapses whitespace runs to one space (SigV4 "Trimall").</summary>
    public static string CanonicalHeaderValue(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>The six lines of the canonical request; <paramref name="canonicalHeaders"/> already ends with a newline per header.</summary>
    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery, string canonicalHeaders, string signedHeaders, string payloadHash)
        => $"{method}\n{canonicalUri}\n{canonicalQuery}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";

    public static string StringToSign(string amzDate, string credentialScope, string canonicalRequest)
        => $"{Algorithm}\n{amzDate}\n{credentialScope}\n{HashHex(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>HMAC chain <c>AWS4{secret}</c> → date → region → service → <c>aws4_request</c>.</summary>
    public static byte[] SigningKey(string secretAccessKey, string dateStamp, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(secretAccessKey);
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(dateStamp));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, Encoding.UTF8.GetBytes(Terminator));
    }

    /// <summary>Lower-case hex HMAC-SHA256 of the string to sign.</summary>
    public static string Signature(byte[] signingKey, string stringToSign)
        => Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    public static string HashHex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>
    /// Percent-encodes every UTF-8 byte that is not an RFC 3986 unreserved character (<c>A-Z a-z 0-9 - . _ ~</c>),
    /// with upper-case hex. <c>/</c> is kept when <paramref name="encodeSlash"/> is false (paths).
    /// </summary>
    public static string UriEncode(string value, bool encodeSlash)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (IsUnreserved(b) || (b == '/' && !encodeSlash))
            {
                sb.Append((char)b);
            }
            else
            {
                AppendEscape(sb, b);
            }
        }

        return sb.ToString();
    }

    internal static bool IsUnreserved(byte b)
        => b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';

    /// <summary>Decodes <c>%XX</c> escapes to UTF-8 bytes; a malformed escape stays literal.</summary>
    public static string PercentDecode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var source = Encoding.UTF8.GetBytes(value);
        var buffer = ArrayPool<byte>.Shared.Rent(source.Length);
        try
        {
            var n = 0;
            for (var i = 0; i < source.Length; i++)
            {
                if (source[i] == '%' && i + 2 < source.Length && IsHex(source[i + 1]) && IsHex(source[i + 2]))
                {
                    buffer[n++] = (byte)((HexValue(source[i + 1]) << 4) | HexValue(source[i + 2]));
                    i += 2;
                }
                else
                {
                    buffer[n++] = source[i];
                }
            }

            return Encoding.UTF8.GetString(buffer, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>RFC 3986 remove_dot_segments plus collapsing of empty segments, as the AWS SDKs normalize.</summary>
    internal static string NormalizePath(string path)
    {
        var segments = path.Split('/');
        var output = new List<string>(segments.Length);
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                continue;
            }

            output.Add(segment);
        }

        if (output.Count == 0)
        {
            return "/";
        }

        var last = segments[^1];
        var trailingSlash = last.Length == 0 || last == "." || last == "..";
        return "/" + string.Join('/', output) + (trailingSlash ? "/" : string.Empty);
    }

    /// <summary>S3-style (single encoding): existing <c>%XX</c> escapes and <c>/</c> stay, anything else not unreserved is encoded.</summary>
    private static string EncodeKeepingEscapes(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        var sb = new StringBuilder(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (IsUnreserved(b) || b == '/' || (b == '%' && i + 2 < bytes.Length && IsHex(bytes[i + 1]) && IsHex(bytes[i + 2])))
            {
                sb.Append((char)b);
            }
            else
            {
                AppendEscape(sb, b);
            }
        }

        return sb.ToString();
    }

    private static void AppendEscape(StringBuilder sb, byte b)
    {
        const string Hex = "0123456789ABCDEF";
        sb.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
