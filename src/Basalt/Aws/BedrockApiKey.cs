using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Basalt.Aws;

/// <summary>
/// Short-term Amazon Bedrock API keys (spec bedrock-and-clients §3): <c>bedrock-api-key-</c> + base64 of a
/// SigV4-presigned URL (without scheme) for <c>POST https://bedrock.amazonaws.com/?Action=CallWithBearerToken</c>,
/// service <c>bedrock</c>, valid up to 12 hours, with <c>&amp;Version=1</c> appended. Byte-identical to AWS's
/// <c>@aws/bedrock-token-generator</c> for the same inputs (tests/interop/tokens).
/// </summary>
public static class BedrockApiKey
{
    public const string Prefix = "bedrock-api-key-";
    public const string Host = "bedrock.amazonaws.com";
    public const string Action = "CallWithBearerToken";
    public const string SigningService = "bedrock";

    private const string VersionSuffix = "&Version=1";

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    /// <summary>Mints a key from any AWS credentials; it is valid in <paramref name="region"/> from <paramref name="now"/> for <paramref name="lifetime"/> (whole seconds, at most 12 h).</summary>
    public static string Mint(AwsCredentials credentials, string region, TimeSpan lifetime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        if (lifetime < TimeSpan.FromSeconds(1) || lifetime > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "A short-term Bedrock API key lives between 1 second and 12 hours.");
        }

        var signature = SigV4Signer.SignQuery(SignedRequest($"Action={Action}"), credentials, region, SigningService, now, TimeSpan.FromSeconds(Math.Floor(lifetime.TotalSeconds)));

        // AWS's generator formats the URL with smithy's buildQueryString, which sorts the parameters by name.
        var parameters = new List<KeyValuePair<string, string>> { new("Action", Action) };
        parameters.AddRange(signature.QueryParameters);
        parameters.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var url = new StringBuilder(Host).Append("/?");
        for (var i = 0; i < parameters.Count; i++)
        {
            if (i > 0)
            {
                url.Append('&');
            }

            url.Append(SigV4.UriEncode(parameters[i].Key, encodeSlash: true)).Append('=').Append(SigV4.UriEncode(parameters[i].Value, encodeSlash: true));
        }

        url.Append(VersionSuffix);
        return Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(url.ToString()));
    }

    /// <summary>True when <paramref name="token"/> looks like a short-term key (prefix); says nothing about validity.</summary>
    public static bool IsShortTermKey(string? token) => token is not null && token.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Decodes a short-term key into its presigned-URL parts. False for anything else (including long-term keys).</summary>
    public static bool TryDecode(string? token, [NotNullWhen(true)] out DecodedBedrockApiKey? decoded)
    {
        decoded = null;
        if (!IsShortTermKey(token))
        {
            return false;
        }

        var bytes = new byte[token!.Length];
        if (!Convert.TryFromBase64String(token[Prefix.Length..], bytes, out var length))
        {
            return false;
        }

        string url;
        try
        {
            url = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var queryStart = url.IndexOf("/?", StringComparison.Ordinal);
        if (queryStart <= 0)
        {
            return false;
        }

        var host = url[..queryStart];
        var query = url[(queryStart + 2)..];
        var version = 0;
        var versionAt = query.LastIndexOf("&Version=", StringComparison.Ordinal);
        if (versionAt >= 0)
        {
            if (!int.TryParse(query.AsSpan(versionAt + "&Version=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out version))
            {
                return false;
            }

            query = query[..versionAt];
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in SigV4.ParseQuery(query))
        {
            if (!parameters.TryAdd(key, value))
            {
                return false;
            }
        }

        if (!parameters.TryGetValue("Action", out var action) || action != Action
            || !parameters.TryGetValue(SigV4.AlgorithmQueryParameter, out var algorithm) || algorithm != SigV4.Algorithm
            || !parameters.TryGetValue(SigV4.CredentialQueryParameter, out var credential)
            || !parameters.TryGetValue(SigV4.DateQueryParameter, out var date) || !SigV4.TryParseAmzDate(date, out var signedAt)
            || !parameters.TryGetValue(SigV4.ExpiresQueryParameter, out var expires) || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !parameters.TryGetValue(SigV4.SignedHeadersQueryParameter, out var signedHeaders)
            || !parameters.ContainsKey(SigV4.SignatureQueryParameter))
        {
            return false;
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != SigV4.Terminator || seconds < 1 || seconds > (long)MaxLifetime.TotalSeconds)
        {
            return false;
        }

        parameters.TryGetValue(SigV4.SecurityTokenQueryParameter, out var sessionToken);
        decoded = new DecodedBedrockApiKey(host, query, version, scope[0], scope[2], scope[3], signedAt, TimeSpan.FromSeconds(seconds), sessionToken, signedHeaders);
        return true;
    }

    /// <summary>
    /// Verifies a decoded key's signature with the principal's secret and checks it has not expired (and was not
    /// minted in the future beyond the verifier's skew). The result carries the access key id and session token.
    /// </summary>
    public static ValueTask<SigV4VerificationResult> VerifyAsync(DecodedBedrockApiKey decoded, SigV4SecretLookup lookup, DateTimeOffset now, SigV4Verifier? verifier = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        return (verifier ?? new SigV4Verifier()).VerifyAsync(SignedRequest(decoded.SignedQuery, decoded.Host), lookup, now, cancellationToken);
    }

    /// <summary>Decodes and verifies in one step; a token that does not decode is <see cref="SigV4FailureReason.Malformed"/>.</summary>
    public static async ValueTask<SigV4VerificationResult> VerifyAsync(string token, SigV4SecretLookup lookup, DateTimeOffset now, SigV4Verifier? verifier = null, CancellationToken cancellationToken = default)
    {
        if (!TryDecode(token, out var decoded))
        {
            return new SigV4VerificationResult
            {
                Failure = SigV4FailureReason.Malformed,
                Location = SigV4AuthLocation.Query,
                Message = "The bearer token is not a valid short-term Bedrock API key.",
            };
        }

        return await VerifyAsync(decoded, lookup, now, verifier, cancellationToken).ConfigureAwait(false);
    }

    private static SigV4Request SignedRequest(string rawQuery, string host = Host) => new()
    {
        Method = "POST",
        RawPath = "/",
        RawQuery = rawQuery,
        Headers = [new("host", host)],
    };
}
