using System.Globalization;
using System.Net.Http.Headers;

namespace Basalt.Bedrock;

/// <summary>
/// The retry decisions of the Bedrock clients, kept pure so they are tested directly. Only what is safe to
/// repeat is retried: throttling and service-side 500/503 answers, and connection failures before any response
/// byte. A stream is never retried once its response has started.
/// </summary>
internal static class BedrockRetryPolicy
{
    private static readonly HashSet<string> RetryableErrorTypes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "ModelNotReadyException", "ServiceUnavailableException", "InternalServerException",
        "TooManyRequestsException", "RequestLimitExceeded", "Throttling",
    };

    public static bool IsRetryable(int statusCode, string? errorType)
        => statusCode is 429 or 500 or 503 || (errorType is not null && RetryableErrorTypes.Contains(errorType));

    /// <summary>
    /// True for failures that happened before the server answered: connect refused or reset, name resolution.
    /// A caller's cancellation and a timeout (the model may be running) are never retried.
    /// </summary>
    public static bool IsRetryableFailure(Exception exception, CancellationToken callerToken)
    {
        if (callerToken.IsCancellationRequested)
        {
            return false;
        }

        return exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
    }

    /// <summary>The wait before retry number <paramref name="retry"/> (1 = first retry), or null when the retry should not happen.</summary>
    public static TimeSpan? Delay(BedrockRetryOptions options, int retry, TimeSpan? retryAfter, double random01)
    {
        if (retryAfter is { } ra && ra > options.MaxRetryAfter)
        {
            return null;
        }

        var exponent = Math.Min(retry - 1, 30);
        var cap = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = TimeSpan.FromMilliseconds(cap * Math.Clamp(random01, 0, 1));
        return retryAfter is { } after && after > jitter ? after : jitter;
    }

    /// <summary>Reads <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        return null;
    }
}
