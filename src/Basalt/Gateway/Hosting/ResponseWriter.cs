using Basalt.Gateway.Anthropic;

namespace Basalt.Gateway.Hosting;

/// <summary>Small helpers for whole (non-streamed) answers: JSON bodies and both error shapes.</summary>
internal static class ResponseWriter
{
    public static async Task JsonAsync(GatewayExchange exchange, int status, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        exchange.StatusCode = status;
        exchange.SetResponseHeader("content-type", "application/json");
        exchange.SetResponseHeader("content-length", json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await exchange.ResponseBody.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        await exchange.ResponseBody.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Names the betas and body fields the model's rules removed in <c>x-basalt-stripped</c> (names only, never
    /// values), so a client or operator sees why a feature went quiet instead of guessing (gateway.md §1.4).
    /// </summary>
    public static void ReportStripped(GatewayExchange exchange, IReadOnlyList<string> stripped)
    {
        if (stripped.Count > 0)
        {
            exchange.SetResponseHeader("x-basalt-stripped", string.Join(", ", stripped));
        }
    }

    public static Task AnthropicErrorAsync(GatewayExchange exchange, AnthropicError error, string requestId, CancellationToken cancellationToken)
    {
        exchange.SetResponseHeader("request-id", requestId);
        if (error.RetryAfterHeader is { } retry)
        {
            exchange.SetResponseHeader("retry-after", retry);
        }

        // A spend cap is not transient: Anthropic's billing_error carries x-should-retry: false (gateway.md §3), and
        // the admission policy has already set it.
        if ((error.StatusCode == 429 && error.Type != "billing_error") || error.StatusCode >= 500)
        {
            exchange.SetResponseHeader("x-should-retry", "true");
        }

        return JsonAsync(exchange, error.StatusCode, error.ToJson(requestId), cancellationToken);
    }

    public static byte[] MessageJson(string message)
    {
        using var buffer = new MemoryStream(32 + message.Length);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>An error in Bedrock's rest-json shape (bedrock-and-clients §1, "Errors"), as AWS SDKs parse it.</summary>
    public static Task BedrockErrorAsync(GatewayExchange exchange, int status, string errorType, string message, string requestId, CancellationToken cancellationToken, TimeSpan? retryAfter = null)
    {
        exchange.SetResponseHeader("x-amzn-RequestId", requestId);
        exchange.SetResponseHeader("x-amzn-ErrorType", errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
        if (retryAfter is { } r)
        {
            exchange.SetResponseHeader("retry-after", Math.Max(1, (int)Math.Ceiling(r.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return JsonAsync(exchange, status, MessageJson(message), cancellationToken);
    }
}
