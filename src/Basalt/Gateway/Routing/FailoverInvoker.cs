using System.Diagnostics;
using System.Net.Http.Headers;
using Basalt.Aws.EventStream;
using Basalt.Bedrock;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Streaming;
using Basalt.Gateway.Upstream;
using Basalt.Identity;
using Microsoft.Extensions.Logging;

namespace Basalt.Gateway.Routing;

/// <summary>
/// Calls a model's routes in order until one answers (issue 8 item 6). Throttling, 5xx, connection failures,
/// resets, first-byte timeouts and an exception frame in place of a stream's first frame all move to the next
/// route, skipping routes whose <see cref="CircuitBreaker"/> is open; a route is tried again only after backoff
/// (exponential with jitter, never shorter than its <c>Retry-After</c>; a longer <c>Retry-After</c> than
/// <see cref="GatewayFailover.MaxRetryAfter"/> cools the upstream down instead). Nothing reaches the client until
/// an upstream produced its first byte (its first frame, for streams), so there is never a retry after it.
/// Requests are built afresh and re-authenticated per attempt by <see cref="BedrockTransport"/>.
/// </summary>
internal sealed class FailoverInvoker
{
    private readonly IReadOnlyDictionary<string, UpstreamClient> _upstreams;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public FailoverInvoker(IReadOnlyDictionary<string, UpstreamClient> upstreams, GatewayOptions options, TimeProvider time, ILogger logger)
    {
        _upstreams = upstreams;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <param name="body">The body for a route (translation may differ per route's model).</param>
    public async Task<UpstreamAttempt> InvokeAsync(
        RoutedModel model, UpstreamOperation operation, Func<GatewayRoute, ReadOnlyMemory<byte>> body, Principal principal,
        IReadOnlyList<KeyValuePair<string, string>> extraHeaders, string requestId, CancellationToken cancellationToken)
    {
        var failover = _options.Failover;
        var routes = model.Model.Routes;
        var lastTried = new DateTimeOffset[routes.Count];
        var retryAfter = new TimeSpan?[routes.Count];
        BedrockException? last = null;
        Exception? lastOther = null;
        var attempts = 0;
        var round = 0;
        while (attempts < failover.MaxAttempts)
        {
            var triedThisRound = false;
            for (var i = 0; i < routes.Count && attempts < failover.MaxAttempts; i++)
            {
                var route = routes[i];
                var upstream = _upstreams[route.Upstream];
                if (!upstream.Breaker.TryAcquire())
                {
                    continue;
                }

                if (round > 0)
                {
                    // Back off before the same upstream again: exponential with full jitter, at least its Retry-After.
                    var cap = Math.Min(failover.BackoffMax.TotalMilliseconds, failover.BackoffBase.TotalMilliseconds * Math.Pow(2, round - 1));
                    var wait = TimeSpan.FromMilliseconds(cap * Random.Shared.NextDouble());
                    if (retryAfter[i] is { } ra && ra > wait)
                    {
                        wait = ra;
                    }

                    var elapsed = _time.GetUtcNow() - lastTried[i];
                    if (wait > elapsed)
                    {
                        try
                        {
                            await Task.Delay(wait - elapsed, _time, cancellationToken).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            upstream.Breaker.Release();
                            throw;
                        }
                    }
                }

                attempts++;
                triedThisRound = true;
                lastTried[i] = _time.GetUtcNow();
                var outcome = await TryOnceAsync(upstream, route, operation, body(route), principal, extraHeaders, attempts, cancellationToken).ConfigureAwait(false);
                if (outcome.Attempt is { } success)
                {
                    upstream.Breaker.RecordSuccess();
                    return success;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    upstream.Breaker.Release();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                last = outcome.Error ?? last;
                lastOther = outcome.Other ?? lastOther;
                var tooLong = outcome.RetryAfter is { } after && after > failover.MaxRetryAfter;
                retryAfter[i] = tooLong ? null : outcome.RetryAfter;
                upstream.Breaker.RecordFailure(tooLong ? outcome.RetryAfter : null);
                LogFailover(requestId, upstream.Name, outcome);
                if (!outcome.Retryable)
                {
                    throw new UpstreamFailure(outcome.Error?.Message ?? outcome.Other?.Message ?? "upstream failed", outcome.Error, attempts, outcome.RetryAfter, outcome.Other);
                }
            }

            if (!triedThisRound)
            {
                break;
            }

            round++;
        }

        var message = attempts == 0
            ? "every upstream for this model is unavailable (circuit breakers open); try again shortly"
            : $"every upstream for this model failed ({attempts} attempts)";
        throw new UpstreamFailure(message, last, attempts, attempts == 0 ? _options.Failover.BreakerOpenDuration : last?.RetryAfter, lastOther);
    }

    private async Task<Outcome> TryOnceAsync(
        UpstreamClient upstream, GatewayRoute route, UpstreamOperation operation, ReadOnlyMemory<byte> body, Principal principal,
        IReadOnlyList<KeyValuePair<string, string>> extraHeaders, int attempt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var options = upstream.Options(principal);
        var transport = new BedrockTransport(upstream.Http, options);
        var path = operation switch
        {
            UpstreamOperation.Invoke => "invoke",
            UpstreamOperation.InvokeStream => "invoke-with-response-stream",
            _ => "count-tokens",
        };
        var uri = BedrockTransport.Combine(options.EffectiveRuntimeEndpoint, $"/model/{Uri.EscapeDataString(route.ModelId)}/{path}");
        using var firstByte = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        firstByte.CancelAfter(_options.Limits.FirstByteTimeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await transport.SendAsync(OperationName(operation), () => Build(uri, operation, body, extraHeaders), firstByte.Token).ConfigureAwait(false);
            if (operation != UpstreamOperation.InvokeStream)
            {
                return new Outcome(new UpstreamAttempt { Response = response, Upstream = upstream, Route = route, Attempts = attempt, TimeToFirstByte = Stopwatch.GetElapsedTime(started) });
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/vnd.amazon.eventstream")
            {
                response.Dispose();
                return Outcome.Failed(null, new HttpRequestException($"upstream {upstream.Name} answered a stream with content-type {response.Content.Headers.ContentType}"), retryable: true);
            }

            var frames = new UpstreamFrameReader(await response.Content.ReadAsStreamAsync(firstByte.Token).ConfigureAwait(false), idleTimeout: _options.Limits.IdleTimeout);
            EventStreamMessage? first;
            try
            {
                first = await frames.ReadAsync(firstByte.Token).ConfigureAwait(false);
            }
            catch
            {
                await frames.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            if (first is null || first.MessageType != "event")
            {
                await frames.DisposeAsync().ConfigureAwait(false);
                response.Dispose();
                var type = first?.ExceptionType ?? first?.GetString(EventStreamMessage.ErrorCodeHeader) ?? "EmptyStream";
                var error = new BedrockException(OperationName(operation), StreamStatus(type), Capitalize(type), first is null ? "the stream ended before its first event" : BedrockChunk.ExceptionMessage(first), string.Empty) { IsStreamException = false };
                return Outcome.Failed(error, null, retryable: IsRetryable(error.StatusCode, error.ErrorType));
            }

            return new Outcome(new UpstreamAttempt
            {
                Response = response,
                Upstream = upstream,
                Route = route,
                Attempts = attempt,
                Frames = frames,
                FirstFrame = first,
                TimeToFirstByte = Stopwatch.GetElapsedTime(started),
            });
        }
        catch (BedrockException e)
        {
            response?.Dispose();
            return Outcome.Failed(e, null, IsRetryable(e.StatusCode, e.ErrorType), e.RetryAfter);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or EventStreamException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Connection refused or reset, a corrupt first frame, or no first byte within the limit: nothing
            // reached the client, so another upstream may answer.
            response?.Dispose();
            var reason = e is OperationCanceledException ? new TimeoutException($"no first byte from upstream {upstream.Name} within {_options.Limits.FirstByteTimeout.TotalSeconds:0.#} s") : e;
            return Outcome.Failed(null, reason, retryable: true);
        }
        catch (OperationCanceledException)
        {
            response?.Dispose();
            return Outcome.Failed(null, null, retryable: false);
        }
    }

    private static HttpRequestMessage Build(Uri uri, UpstreamOperation operation, ReadOnlyMemory<byte> body, IReadOnlyList<KeyValuePair<string, string>> extraHeaders)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (operation == UpstreamOperation.InvokeStream)
        {
            message.Headers.TryAddWithoutValidation(BedrockHeaders.Accept, "application/json");
        }
        else
        {
            message.Headers.TryAddWithoutValidation("Accept", "application/json");
        }

        foreach (var (name, value) in extraHeaders)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    /// <summary>
    /// What moves to another upstream: throttling, 5xx and timeouts (the next region may have capacity), and the
    /// gateway's own credentials being refused in one account. A bad request stays a bad request everywhere.
    /// </summary>
    internal static bool IsRetryable(int status, string errorType)
        => status is 429 or 408 or 500 or 502 or 503 or 504 or 424
            || errorType is "ThrottlingException" or "ModelNotReadyException" or "ServiceUnavailableException" or "InternalServerException"
                or "ModelTimeoutException" or "ModelStreamErrorException" or "ExpiredTokenException" or "UnrecognizedClientException" or "InvalidSignatureException";

    private static int StreamStatus(string exceptionType) => exceptionType switch
    {
        "throttlingException" => 429,
        "serviceUnavailableException" => 503,
        "modelStreamErrorException" => 424,
        "modelTimeoutException" => 408,
        "validationException" => 400,
        "EmptyStream" => 502,
        _ => 500,
    };

    private static string Capitalize(string type) => type.Length == 0 ? type : char.ToUpperInvariant(type[0]) + type[1..];

    private static string OperationName(UpstreamOperation operation) => operation switch
    {
        UpstreamOperation.Invoke => "InvokeModel",
        UpstreamOperation.InvokeStream => "InvokeModelWithResponseStream",
        _ => "CountTokens",
    };

    private void LogFailover(string requestId, string upstream, Outcome outcome)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            _logger.LogWarning("request {RequestId}: upstream {Upstream} failed before the first byte: {Error} (retryable: {Retryable}, breaker: {Breaker})",
                requestId, upstream, outcome.Error is { } e ? $"{e.StatusCode} {e.ErrorType}" : outcome.Other?.GetType().Name + ": " + outcome.Other?.Message, outcome.Retryable, _upstreams[upstream].Breaker.State);
        }
    }

    private sealed record Outcome(UpstreamAttempt? Attempt, BedrockException? Error = null, Exception? Other = null, bool Retryable = false, TimeSpan? RetryAfter = null)
    {
        public static Outcome Failed(BedrockException? error, Exception? other, bool retryable, TimeSpan? retryAfter = null) => new(null, error, other, retryable, retryAfter);
    }
}
