using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Basalt.Aws;

/// <summary>
/// AWS Signature Version 4 signing, with the <c>Authorization</c> header or presigned into the query string.
/// Reproduces every case of the official test suite byte for byte (tests/Basalt.Tests/Aws/SigV4).
/// </summary>
public static class SigV4Signer
{
    private static readonly string[] ReplacedHeaders = ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "x-amz-content-sha256"];

    /// <summary>Signs a neutral request with the <c>Authorization</c> header.</summary>
    public static SigV4Signature SignHeaders(SigV4Request request, AwsCredentials credentials, string region, string service, DateTimeOffset now, SigV4SigningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        options ??= SigV4SigningOptions.Default;

        var amzDate = SigV4.FormatAmzDate(now);
        var scope = SigV4.CredentialScope(SigV4.FormatDateStamp(now), region, service);
        var payloadHash = options.UnsignedPayload ? SigV4.UnsignedPayload : request.ComputePayloadHash();

        var added = new List<KeyValuePair<string, string>> { new("X-Amz-Date", amzDate) };
        var signToken = credentials.SessionToken is not null && !options.OmitSessionToken;
        if (signToken)
        {
            added.Add(new("X-Amz-Security-Token", credentials.SessionToken!));
        }

        if (options.AddContentSha256Header)
        {
            added.Add(new(SigV4.ContentSha256Header, payloadHash));
        }

        var headers = request.Headers.Where(h => !IsReplaced(h.Key)).Concat(added);
        var (canonicalHeaders, signedHeaders) = SigV4.CanonicalHeaders(headers, SigV4.IsSignableHeader);
        var canonicalRequest = SigV4.CanonicalRequest(
            request.Method,
            SigV4.CanonicalUri(request.RawPath, options.NormalizePath, options.DoubleUriEncode),
            SigV4.CanonicalQuery(request.RawQuery),
            canonicalHeaders,
            signedHeaders,
            payloadHash);
        var stringToSign = SigV4.StringToSign(amzDate, scope, canonicalRequest);
        var signature = SigV4.Signature(SigV4.SigningKey(credentials.SecretAccessKey, SigV4.FormatDateStamp(now), region, service), stringToSign);

        if (credentials.SessionToken is not null && !signToken)
        {
            added.Add(new("X-Amz-Security-Token", credentials.SessionToken));
        }

        var authorization = $"{SigV4.Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        added.Add(new("Authorization", authorization));
        return new SigV4Signature(canonicalRequest, stringToSign, signature, signedHeaders, scope, amzDate)
        {
            AuthorizationHeader = authorization,
            HeadersToAdd = added,
        };
    }

    /// <summary>Presigns a neutral request: the authentication goes into the query string, valid for <paramref name="expiresIn"/>.</summary>
    public static SigV4Signature SignQuery(SigV4Request request, AwsCredentials credentials, string region, string service, DateTimeOffset now, TimeSpan expiresIn, SigV4SigningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        options ??= SigV4SigningOptions.Default;
        var seconds = (long)expiresIn.TotalSeconds;
        if (seconds < 1 || expiresIn > SigV4.MaxPresignLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresIn), expiresIn, "A presigned request lives between 1 second and 7 days.");
        }

        var amzDate = SigV4.FormatAmzDate(now);
        var dateStamp = SigV4.FormatDateStamp(now);
        var scope = SigV4.CredentialScope(dateStamp, region, service);
        var payloadHash = options.UnsignedPayload ? SigV4.UnsignedPayload : request.ComputePayloadHash();
        var (canonicalHeaders, signedHeaders) = SigV4.CanonicalHeaders(request.Headers.Where(h => !IsReplaced(h.Key)), SigV4.IsSignableHeader);

        // The order the SDKs and the test suite's signed requests append them.
        var parameters = new List<KeyValuePair<string, string>>
        {
            new(SigV4.AlgorithmQueryParameter, SigV4.Algorithm),
            new(SigV4.CredentialQueryParameter, $"{credentials.AccessKeyId}/{scope}"),
            new(SigV4.DateQueryParameter, amzDate),
            new(SigV4.SignedHeadersQueryParameter, signedHeaders),
            new(SigV4.ExpiresQueryParameter, seconds.ToString(CultureInfo.InvariantCulture)),
        };
        var signToken = credentials.SessionToken is not null && !options.OmitSessionToken;
        if (signToken)
        {
            parameters.Add(new(SigV4.SecurityTokenQueryParameter, credentials.SessionToken!));
        }

        var signedQuery = AppendQuery(request.RawQuery, parameters);
        var canonicalRequest = SigV4.CanonicalRequest(
            request.Method,
            SigV4.CanonicalUri(request.RawPath, options.NormalizePath, options.DoubleUriEncode),
            SigV4.CanonicalQuery(signedQuery),
            canonicalHeaders,
            signedHeaders,
            payloadHash);
        var stringToSign = SigV4.StringToSign(amzDate, scope, canonicalRequest);
        var signature = SigV4.Signature(SigV4.SigningKey(credentials.SecretAccessKey, dateStamp, region, service), stringToSign);

        var tail = new List<KeyValuePair<string, string>>();
        if (credentials.SessionToken is not null && !signToken)
        {
            tail.Add(new(SigV4.SecurityTokenQueryParameter, credentials.SessionToken));
        }

        tail.Add(new(SigV4.SignatureQueryParameter, signature));
        parameters.AddRange(tail);
        return new SigV4Signature(canonicalRequest, stringToSign, signature, signedHeaders, scope, amzDate)
        {
            QueryParameters = parameters,
            SignedQuery = AppendQuery(signedQuery, tail),
        };
    }

    /// <summary>Signs an <see cref="HttpRequestMessage"/> in place with the <c>Authorization</c> header.</summary>
    public static Task<SigV4Signature> SignAsync(HttpRequestMessage request, AwsCredentials credentials, string region, string service, DateTimeOffset now, CancellationToken cancellationToken)
        => SignAsync(request, credentials, region, service, now, SigV4SigningOptions.Default, cancellationToken);

    /// <summary>
    /// Signs an <see cref="HttpRequestMessage"/> in place. Any earlier <c>Authorization</c>, <c>X-Amz-Date</c>,
    /// <c>X-Amz-Security-Token</c> and <c>x-amz-content-sha256</c> headers are replaced, so a retry can re-sign
    /// a fresh copy. The body is buffered to hash it unless <see cref="SigV4SigningOptions.UnsignedPayload"/> is set.
    /// </summary>
    public static async Task<SigV4Signature> SignAsync(HttpRequestMessage request, AwsCredentials credentials, string region, string service, DateTimeOffset now, SigV4SigningOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var name in ReplacedHeaders)
        {
            request.Headers.Remove(name);
        }

        var payloadHash = options.UnsignedPayload ? SigV4.UnsignedPayload : await HashContentAsync(request.Content, cancellationToken).ConfigureAwait(false);
        var neutral = ToNeutral(request, payloadHash);
        var signature = SignHeaders(neutral, credentials, region, service, now, options);
        foreach (var (name, value) in signature.HeadersToAdd)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return signature;
    }

    /// <summary>
    /// A presigned URL for <paramref name="method"/> on <paramref name="uri"/>: anyone holding it can make that
    /// request until <paramref name="now"/> + <paramref name="expiresIn"/>. <paramref name="headers"/> are extra
    /// headers the caller promises to send (signed); <c>Host</c> is always signed.
    /// </summary>
    public static Uri Presign(HttpMethod method, Uri uri, AwsCredentials credentials, string region, string service, DateTimeOffset now, TimeSpan expiresIn, IEnumerable<KeyValuePair<string, string>>? headers = null, SigV4SigningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(uri);
        var neutral = new SigV4Request
        {
            Method = method.Method,
            RawPath = uri.AbsolutePath,
            RawQuery = uri.Query.Length > 0 ? uri.Query[1..] : null,
            Headers = [new("Host", HostHeader(uri)), .. headers ?? []],
        };
        var signature = SignQuery(neutral, credentials, region, service, now, expiresIn, options);
        return new Uri($"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}?{signature.SignedQuery}");
    }

    /// <summary>The <c>Host</c> header HttpClient sends for <paramref name="uri"/>: the punycode host and a non-default port.</summary>
    public static string HostHeader(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost.Trim('[', ']')}]" : uri.IdnHost;
        return uri.IsDefaultPort ? host : $"{host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The neutral model of an <see cref="HttpRequestMessage"/>, with values as HttpClient puts them on the wire.</summary>
    internal static SigV4Request ToNeutral(HttpRequestMessage request, string payloadHash)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no RequestUri.", nameof(request));
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request URI must be absolute to be signed.", nameof(request));
        }

        var headers = new List<KeyValuePair<string, string>> { new("Host", request.Headers.Host ?? HostHeader(uri)) };
        foreach (var header in request.Headers.NonValidated)
        {
            if (!string.Equals(header.Key, "Host", StringComparison.OrdinalIgnoreCase) && SigV4.IsSignableHeader(header.Key))
            {
                headers.Add(new(header.Key, header.Value.ToString()));
            }
        }

        if (request.Content is { } content)
        {
            var length = content.Headers.ContentLength;
            foreach (var header in content.Headers.NonValidated)
            {
                if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    headers.Add(new(header.Key, header.Value.ToString()));
                }
            }

            if (length is { } n)
            {
                headers.Add(new("Content-Length", n.ToString(CultureInfo.InvariantCulture)));
            }
        }

        return new SigV4Request
        {
            Method = request.Method.Method,
            RawPath = uri.AbsolutePath,
            RawQuery = uri.Query.Length > 0 ? uri.Query[1..] : null,
            Headers = headers,
            PayloadHash = payloadHash,
        };
    }

    private static async Task<string> HashContentAsync(HttpContent? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return SigV4.EmptyPayloadHash;
        }

        // Buffering makes the content re-readable: the hash pass must not consume what HttpClient sends.
        await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        if (stream.CanSeek)
        {
            stream.Position = 0;
        }

        return Convert.ToHexStringLower(hash);
    }

    private static bool IsReplaced(string name)
        => string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, SigV4.AmzDateHeader, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, SigV4.SecurityTokenHeader, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, SigV4.ContentSha256Header, StringComparison.OrdinalIgnoreCase);

    private static string AppendQuery(string? rawQuery, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var sb = new StringBuilder(rawQuery);
        foreach (var (key, value) in parameters)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(SigV4.UriEncode(key, encodeSlash: true)).Append('=').Append(SigV4.UriEncode(value, encodeSlash: true));
        }

        return sb.ToString();
    }
}
