using System.Globalization;
using System.Text.Json;
using Basalt.Bedrock;

namespace Basalt.Gateway.Anthropic;

/// <summary>
/// An error in Anthropic's shape and wording, unwrapped (gateway.md §1.4: Claude Code retries and compacts by
/// matching it): <c>{"type":"error","error":{"type":…,"message":…},"request_id":…}</c> with the matching status.
/// </summary>
internal sealed record AnthropicError(int StatusCode, string Type, string Message, TimeSpan? RetryAfter = null)
{
    public static AnthropicError InvalidRequest(string message) => new(400, "invalid_request_error", message);

    public static AnthropicError Authentication(string message) => new(401, "authentication_error", message);

    public static AnthropicError Permission(string message) => new(403, "permission_error", message);

    public static AnthropicError NotFound(string message) => new(404, "not_found_error", message);

    public static AnthropicError TooLarge(string message) => new(413, "request_too_large", message);

    public static AnthropicError RateLimit(string message, TimeSpan? retryAfter) => new(429, "rate_limit_error", message, retryAfter);

    public static AnthropicError Api(string message) => new(500, "api_error", message);

    public static AnthropicError Overloaded(string message, TimeSpan? retryAfter = null) => new(529, "overloaded_error", message, retryAfter);

    /// <summary>
    /// Bedrock's error (bedrock-and-clients §1, "Errors") as Anthropic would have said it. Validation messages pass
    /// unchanged; Bedrock's "Input is too long" gains Anthropic's "prompt is too long" wording, which Claude Code
    /// matches to auto-compact (gateway.md §1.4).
    /// </summary>
    public static AnthropicError FromBedrock(int status, string errorType, string? message, TimeSpan? retryAfter)
    {
        var text = string.IsNullOrWhiteSpace(message) ? errorType : message;
        return errorType switch
        {
            "ValidationException" when text.Contains("too long", StringComparison.OrdinalIgnoreCase) && !text.Contains("prompt is too long", StringComparison.Ordinal)
                => InvalidRequest("prompt is too long: " + text),
            "ValidationException" or "ServiceQuotaExceededException" when status == 400 => InvalidRequest(text),
            "ThrottlingException" or "ModelNotReadyException" or "TooManyRequestsException" => RateLimit(text, retryAfter),
            "ServiceUnavailableException" => Overloaded(text, retryAfter),
            "AccessDeniedException" => Permission(text),
            "ResourceNotFoundException" => NotFound(text),
            // The gateway's own AWS credentials failed: not the caller's fault, and not worth showing AWS's words.
            "ExpiredTokenException" or "UnrecognizedClientException" or "InvalidSignatureException" => Api("the gateway's upstream credentials were rejected by Amazon Bedrock"),
            _ => status switch
            {
                400 => InvalidRequest(text),
                403 => Permission(text),
                404 => NotFound(text),
                429 => RateLimit(text, retryAfter),
                503 => Overloaded(text, retryAfter),
                _ => Api(text),
            },
        };
    }

    /// <summary>An exception frame inside a Bedrock stream (bedrock-and-clients §1, "Errors during a stream").</summary>
    public static AnthropicError FromStreamException(string? exceptionType, string? message)
        => exceptionType switch
        {
            "throttlingException" => RateLimit(message ?? "Too many requests", null),
            "serviceUnavailableException" => Overloaded(message ?? "Overloaded"),
            "validationException" => InvalidRequest(message ?? "Invalid request"),
            _ => Api(message ?? "The model stream failed"),
        };

    public static AnthropicError From(BedrockException e) => FromBedrock(e.StatusCode, e.ErrorType, e.ErrorMessage, e.RetryAfter);

    public byte[] ToJson(string? requestId)
    {
        using var buffer = new MemoryStream(128 + Message.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "error"u8);
            writer.WriteStartObject("error"u8);
            writer.WriteString("type"u8, Type);
            writer.WriteString("message"u8, Message);
            writer.WriteEndObject();
            if (requestId is not null)
            {
                writer.WriteString("request_id"u8, requestId);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public string? RetryAfterHeader => RetryAfter is { } r ? Math.Max(1, (int)Math.Ceiling(r.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
}
