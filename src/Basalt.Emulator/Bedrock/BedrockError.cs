namespace Basalt.Emulator.Bedrock;

/// <summary>
/// A Bedrock error as the service returns it (bedrock-and-clients §1): HTTP status, the error code sent in
/// <c>X-Amzn-ErrorType</c>, and the <c>{"message": ...}</c> body. Mid-stream the same error becomes an exception
/// frame whose <c>:exception-type</c> is the code with a lower-case first letter.
/// </summary>
internal sealed record BedrockError(int Status, string Code, string Message)
{
    public static BedrockError Validation(string message) => new(400, "ValidationException", message);

    public static BedrockError InvalidModelIdentifier() => Validation("The provided model identifier is invalid.");

    public static BedrockError NotFound(string message) => new(404, "ResourceNotFoundException", message);

    public static BedrockError AccessDenied(string message) => new(403, "AccessDeniedException", message);

    public static BedrockError Throttling() => new(429, "ThrottlingException", "Too many requests, please wait before trying again.");

    public static BedrockError ExpiredToken() => new(403, "ExpiredTokenException", "The security token included in the request is expired");

    public static BedrockError InternalServer() => new(500, "InternalServerException", "The server encountered an internal error while processing the request.");

    public static BedrockError ServiceUnavailable() => new(503, "ServiceUnavailableException", "Bedrock is unable to process your request.");

    public static BedrockError ModelNotReady() => new(429, "ModelNotReadyException", "The model is not ready to serve inference requests. Retry your request after a few seconds.");

    public static BedrockError ModelTimeout() => new(408, "ModelTimeoutException", "Model has timed out in processing the request. Try your request again.");

    public static BedrockError ModelStreamError() => new(424, "ModelStreamErrorException", "The model encountered an error while streaming the response.");

    public static BedrockError UnknownOperation() => new(404, "UnknownOperationException", "The requested operation is not supported by this emulator.");

    /// <summary>The <c>:exception-type</c> header value of an exception frame: <c>throttlingException</c> etc.</summary>
    public string ExceptionType => char.ToLowerInvariant(Code[0]) + Code[1..];

    /// <summary>
    /// The full <c>X-Amzn-ErrorType</c> value. Bedrock appends the Coral namespace after a colon; SDKs keep the
    /// part before it (bedrock-and-clients §1).
    /// </summary>
    public string ErrorTypeHeader => $"{Code}:{CoralNamespace}";

    public const string CoralNamespace = "http://internal.amazon.com/coral/com.amazon.bedrock/";
}
