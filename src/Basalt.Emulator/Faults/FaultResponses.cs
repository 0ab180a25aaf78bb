using System.Globalization;
using Basalt.Emulator.Bedrock;
using Basalt.Emulator.Http;
using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.Faults;

/// <summary>
/// Writes a whole-response fault in the protocol of the service that was called, so each SDK parses it the way
/// it parses the real error: Bedrock rest-json (<c>X-Amzn-ErrorType</c> + <c>{"message"}</c>), STS awsQuery XML,
/// IAM Identity Center OIDC (<c>{"error","error_description"}</c>) and the portal's rest-json.
/// </summary>
internal static class FaultResponses
{

    /// <summary>The Bedrock error a fault stands for; stream exceptions map to their HTTP equivalent.</summary>
    public static BedrockError BedrockErrorFor(FaultSpec spec) => spec.Kind switch
    {
        FaultKind.Throttle => BedrockError.Throttling(),
        FaultKind.InternalError => BedrockError.InternalServer(),
        FaultKind.Unavailable => BedrockError.ServiceUnavailable(),
        FaultKind.ExpiredToken => BedrockError.ExpiredToken(),
        FaultKind.ModelNotReady => BedrockError.ModelNotReady(),
        FaultKind.ModelTimeout => BedrockError.ModelTimeout(),
        _ => ForExceptionType(spec.ExceptionType),
    };

    public static BedrockError ForExceptionType(string exceptionType) => exceptionType switch
    {
        "modelStreamErrorException" => BedrockError.ModelStreamError(),
        "validationException" => BedrockError.Validation("The request was rejected by the emulator's fault injection."),
        "internalServerException" => BedrockError.InternalServer(),
        "modelTimeoutException" => BedrockError.ModelTimeout(),
        "serviceUnavailableException" => BedrockError.ServiceUnavailable(),
        _ => BedrockError.Throttling(),
    };

    public static Task WriteAsync(HttpContext context, EmulatedOperation operation, FaultSpec spec, out int status, out string code)
    {
        if (spec.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        switch (operation.Service)
        {
            case EmulatedService.Sts:
                (status, code, var message, var sender) = spec.Kind switch
                {
                    FaultKind.Throttle or FaultKind.ModelNotReady => (429, "Throttling", "Rate exceeded", true),
                    FaultKind.ExpiredToken => (403, "ExpiredToken", "The security token included in the request is expired", true),
                    FaultKind.InternalError => (500, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", false),
                    _ => (503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.", false),
                };
                return AwsErrors.WriteQueryErrorAsync(context, status, code, message, sender);
            case EmulatedService.SsoOidc:
                (status, code, var error, var description) = spec.Kind switch
                {
                    FaultKind.Throttle or FaultKind.ModelNotReady => (429, "TooManyRequestsException", "too_many_requests", "Too many requests, slow down."),
                    FaultKind.ExpiredToken => (400, "ExpiredTokenException", "expired_token", "The token has expired."),
                    FaultKind.InternalError => (500, "InternalServerException", "server_error", "An unexpected error occurred."),
                    _ => (503, "ServiceUnavailableException", "temporarily_unavailable", "The service is temporarily unavailable."),
                };
                return AwsErrors.WriteOidcErrorAsync(context, status, code, error, description);
            case EmulatedService.Sso:
                (status, code, message) = spec.Kind switch
                {
                    FaultKind.Throttle or FaultKind.ModelNotReady => (429, "TooManyRequestsException", "Too many requests."),
                    FaultKind.ExpiredToken => (401, "UnauthorizedException", "Session token not found or invalid"),
                    FaultKind.InternalError => (500, "InternalServerException", "An unexpected error occurred."),
                    _ => (503, "ServiceUnavailableException", "The service is temporarily unavailable."),
                };
                return AwsErrors.WriteJsonErrorAsync(context, status, code, message);
            default:
                var bedrock = BedrockErrorFor(spec);
                status = bedrock.Status;
                code = bedrock.Code;
                return AwsErrors.WriteJsonErrorAsync(context, bedrock.Status, bedrock.Code, bedrock.Message, BedrockError.CoralNamespace);
        }
    }
}
