using System.Net.Http.Headers;
using Basalt.Bedrock;

namespace Basalt.Tests.Bedrock;

public sealed class BedrockRetryPolicyTests
{
    [Theory]
    [InlineData(429, "ThrottlingException", true)]
    [InlineData(429, "ModelNotReadyException", true)]
    [InlineData(500, "InternalServerException", true)]
    [InlineData(503, "ServiceUnavailableException", true)]
    [InlineData(400, "ThrottlingException", true)]
    [InlineData(400, "ValidationException", false)]
    [InlineData(403, "AccessDeniedException", false)]
    [InlineData(403, "ExpiredTokenException", false)]
    [InlineData(404, "ResourceNotFoundException", false)]
    [InlineData(408, "ModelTimeoutException", false)]
    [InlineData(424, "ModelErrorException", false)]
    public void Only_throttling_and_service_failures_are_retried(int status, string errorType, bool retryable)
    {
        Assert.Equal(retryable, BedrockRetryPolicy.IsRetryable(status, errorType));
    }

    [Fact]
    public void Backoff_is_exponential_with_full_jitter_and_capped()
    {
        var options = new BedrockRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) };

        Assert.Equal(TimeSpan.FromMilliseconds(100), BedrockRetryPolicy.Delay(options, 1, null, 1.0));
        Assert.Equal(TimeSpan.FromMilliseconds(400), BedrockRetryPolicy.Delay(options, 3, null, 1.0));
        Assert.Equal(TimeSpan.FromSeconds(1), BedrockRetryPolicy.Delay(options, 10, null, 1.0));
        Assert.Equal(TimeSpan.FromMilliseconds(200), BedrockRetryPolicy.Delay(options, 3, null, 0.5));
        Assert.Equal(TimeSpan.Zero, BedrockRetryPolicy.Delay(options, 3, null, 0.0));
    }

    [Fact]
    public void Retry_after_is_a_floor_and_too_long_a_wait_is_not_retried()
    {
        var options = new BedrockRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100), MaxRetryAfter = TimeSpan.FromSeconds(30) };

        Assert.Equal(TimeSpan.FromSeconds(5), BedrockRetryPolicy.Delay(options, 1, TimeSpan.FromSeconds(5), 1.0));
        Assert.Null(BedrockRetryPolicy.Delay(options, 1, TimeSpan.FromSeconds(31), 1.0));
    }

    [Fact]
    public void Retry_after_is_read_in_milliseconds_seconds_or_as_a_date()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        using var ms = new HttpResponseMessage();
        ms.Headers.TryAddWithoutValidation("retry-after-ms", "1500");
        using var seconds = new HttpResponseMessage();
        seconds.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        using var date = new HttpResponseMessage();
        date.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(9));
        using var none = new HttpResponseMessage();

        Assert.Equal(TimeSpan.FromMilliseconds(1500), BedrockRetryPolicy.RetryAfter(ms.Headers, now));
        Assert.Equal(TimeSpan.FromSeconds(7), BedrockRetryPolicy.RetryAfter(seconds.Headers, now));
        Assert.Equal(TimeSpan.FromSeconds(9), BedrockRetryPolicy.RetryAfter(date.Headers, now));
        Assert.Null(BedrockRetryPolicy.RetryAfter(none.Headers, now));
    }

    [Fact]
    public void Connection_failures_are_retried_but_not_cancellation_or_protocol_errors()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused");

        Assert.True(BedrockRetryPolicy.IsRetryableFailure(refused, CancellationToken.None));
        Assert.True(BedrockRetryPolicy.IsRetryableFailure(new HttpRequestException(HttpRequestError.NameResolutionError, "dns"), CancellationToken.None));
        Assert.False(BedrockRetryPolicy.IsRetryableFailure(refused, cancelled.Token));
        Assert.False(BedrockRetryPolicy.IsRetryableFailure(new HttpRequestException(HttpRequestError.InvalidResponse, "bad"), CancellationToken.None));
        Assert.False(BedrockRetryPolicy.IsRetryableFailure(new TaskCanceledException("timeout"), CancellationToken.None));
    }
}
