using System.Buffers;

namespace Basalt.Bedrock;

/// <summary>
/// Sends one Bedrock operation: builds a fresh request per attempt, authenticates it, and retries only what is
/// safe (see <see cref="BedrockRetryPolicy"/>). The caller owns a successful response; an error response becomes
/// a <see cref="BedrockException"/> with the body as received.
/// </summary>
internal sealed class BedrockTransport
{
    private readonly HttpClient _http;
    private readonly BedrockClientOptions _options;

    public BedrockTransport(HttpClient http, BedrockClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Region);
        ArgumentNullException.ThrowIfNull(options.Auth);
        _http = http;
        _options = options;
    }

    public BedrockClientOptions Options => _options;

    /// <summary>Combines a base URL (which may carry a path prefix) with an operation path.</summary>
    public static Uri Combine(Uri baseUri, string pathAndQuery)
        => new($"{baseUri.Scheme}://{baseUri.Authority}{baseUri.AbsolutePath.TrimEnd('/')}{pathAndQuery}");

    public async Task<HttpResponseMessage> SendAsync(string operation, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var retry = _options.Retry;
        var time = _options.TimeProvider;
        for (var attempt = 1; ; attempt++)
        {
            using var request = build();
            request.Headers.UserAgent.Clear();
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            await _options.Auth.ApplyAsync(request, _options.Region, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < retry.MaxAttempts && BedrockRetryPolicy.IsRetryableFailure(e, cancellationToken))
            {
                var wait = BedrockRetryPolicy.Delay(retry, attempt, null, Random.Shared.NextDouble()) ?? TimeSpan.Zero;
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            BedrockException error;
            using (response)
            {
                var body = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
                error = BedrockErrorParser.FromResponse(operation, response, body, time.GetUtcNow());
            }

            if (attempt < retry.MaxAttempts && error.IsRetryable
                && BedrockRetryPolicy.Delay(retry, attempt, error.RetryAfter, Random.Shared.NextDouble()) is { } delay)
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw error;
        }
    }

    /// <summary>Reads a whole success body (non-streaming operations).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        => await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                using var collected = new MemoryStream();
                int read;
                while (collected.Length < BedrockErrorParser.MaxErrorBody
                    && (read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, BedrockErrorParser.MaxErrorBody - collected.Length)), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    collected.Write(buffer, 0, read);
                }

                return collected.ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
