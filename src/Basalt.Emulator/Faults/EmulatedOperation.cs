using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.Faults;

/// <summary>
/// Which service and operation a request is for, from its method and path alone (the emulator serves every
/// service on one address; paths do not collide): bedrock-and-clients §1, §2 and §4.
/// </summary>
internal readonly record struct EmulatedOperation(EmulatedService Service, string Operation)
{
    public static readonly EmulatedOperation None = new(EmulatedService.None, string.Empty);

    public bool IsStream => Operation == "InvokeModelWithResponseStream";

    public string ServiceName => Service switch
    {
        EmulatedService.BedrockRuntime => "bedrock-runtime",
        EmulatedService.Bedrock => "bedrock",
        EmulatedService.Sts => "sts",
        EmulatedService.SsoOidc => "sso-oidc",
        EmulatedService.Sso => "sso",
        _ => "none",
    };

    /// <summary>The service name in the request log, as the services themselves log it (Bedrock logs its signing name).</summary>
    public string LogServiceName => Service is EmulatedService.BedrockRuntime or EmulatedService.Bedrock ? "bedrock" : ServiceName;

    public static EmulatedService? ParseService(string name) => name switch
    {
        "bedrock-runtime" => EmulatedService.BedrockRuntime,
        "bedrock" => EmulatedService.Bedrock,
        "sts" => EmulatedService.Sts,
        "sso-oidc" => EmulatedService.SsoOidc,
        "sso" => EmulatedService.Sso,
        _ => null,
    };

    public static EmulatedOperation Classify(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path.Value ?? "/";
        var post = HttpMethods.IsPost(request.Method);
        var get = HttpMethods.IsGet(request.Method);
        if (path.StartsWith("/model/", StringComparison.Ordinal) && post)
        {
            return path.EndsWith("/invoke-with-response-stream", StringComparison.Ordinal) ? new(EmulatedService.BedrockRuntime, "InvokeModelWithResponseStream")
                : path.EndsWith("/invoke", StringComparison.Ordinal) ? new(EmulatedService.BedrockRuntime, "InvokeModel")
                : path.EndsWith("/count-tokens", StringComparison.Ordinal) ? new(EmulatedService.BedrockRuntime, "CountTokens")
                : path.EndsWith("/converse-stream", StringComparison.Ordinal) ? new(EmulatedService.BedrockRuntime, "ConverseStream")
                : path.EndsWith("/converse", StringComparison.Ordinal) ? new(EmulatedService.BedrockRuntime, "Converse")
                : new(EmulatedService.BedrockRuntime, "Unknown");
        }

        if (get && path.StartsWith("/inference-profiles", StringComparison.Ordinal))
        {
            return new(EmulatedService.Bedrock, path.TrimEnd('/') == "/inference-profiles" ? "ListInferenceProfiles" : "GetInferenceProfile");
        }

        if (get && path.StartsWith("/foundation-models", StringComparison.Ordinal))
        {
            return new(EmulatedService.Bedrock, path.TrimEnd('/') == "/foundation-models" ? "ListFoundationModels" : "GetFoundationModel");
        }

        switch (path)
        {
            case "/client/register" when post:
                return new(EmulatedService.SsoOidc, "RegisterClient");
            case "/device_authorization" when post:
                return new(EmulatedService.SsoOidc, "StartDeviceAuthorization");
            case "/token" when post:
                return new(EmulatedService.SsoOidc, "CreateToken");
            case "/federation/credentials" when get:
                return new(EmulatedService.Sso, "GetRoleCredentials");
            case "/assignment/accounts" when get:
                return new(EmulatedService.Sso, "ListAccounts");
            case "/assignment/roles" when get:
                return new(EmulatedService.Sso, "ListAccountRoles");
            case "/logout" when post:
                return new(EmulatedService.Sso, "Logout");
            case "/" when post || (get && request.Query.ContainsKey("Action")):
                // awsQuery: the action is in the query or the form body; reading the form is left to the STS
                // handler, so a rule can name an STS operation only when the caller puts Action in the query.
                return new(EmulatedService.Sts, request.Query.TryGetValue("Action", out var action) ? action.ToString() : string.Empty);
            default:
                return None;
        }
    }
}
