namespace Basalt.Bedrock;

/// <summary>
/// A Bedrock error with everything the caller needs to pass it on unchanged (Claude Code's retry logic reads the
/// upstream body): the original HTTP status, the AWS error type (<c>X-Amzn-ErrorType</c>, else <c>__type</c>/<c>code</c>
/// in the body), the message and the raw body. Stream errors (an exception frame) keep the stream's status.
/// </summary>
public sealed class BedrockException : Exception
{
    public BedrockException()
    {
    }

    public BedrockException(string message)
        : base(message)
    {
    }

    public BedrockException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal BedrockException(string operation, int statusCode, string errorType, string? errorMessage, string responseBody, Exception? inner = null)
        : base($"Bedrock {operation} failed: HTTP {statusCode} {errorType}{(string.IsNullOrEmpty(errorMessage) ? string.Empty : ": " + errorMessage)}", inner)
    {
        Operation = operation;
        StatusCode = statusCode;
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        ResponseBody = responseBody;
    }

    public string Operation { get; } = string.Empty;

    /// <summary>The HTTP status as received (200 for an exception frame inside a stream).</summary>
    public int StatusCode { get; }

    /// <summary>The short AWS error type, e.g. <c>ThrottlingException</c>; <c>UnknownError</c> when none was given.</summary>
    public string ErrorType { get; } = "UnknownError";

    /// <summary>The <c>X-Amzn-ErrorType</c> header as received, e.g. <c>ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/</c>.</summary>
    public string? RawErrorType { get; init; }

    /// <summary>The <c>message</c> of the error body.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The error body exactly as received.</summary>
    public string ResponseBody { get; } = string.Empty;

    public string? ResponseContentType { get; init; }

    public string? RequestId { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Raised by an exception frame after the stream started (never retried).</summary>
    public bool IsStreamException { get; init; }

    /// <summary>The response headers, for pass-through.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public bool IsRetryable => !IsStreamException && BedrockRetryPolicy.IsRetryable(StatusCode, ErrorType);
}
