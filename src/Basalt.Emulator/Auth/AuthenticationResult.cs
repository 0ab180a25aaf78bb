using Basalt.Emulator.Identity;

namespace Basalt.Emulator.Auth;

/// <summary>
/// The outcome of <see cref="EmulatorAuthenticator.AuthenticateAsync(Microsoft.AspNetCore.Http.HttpContext, string)"/>:
/// the caller, or the AWS error code that has already been written to the response (the handler just returns).
/// </summary>
internal sealed record AuthenticationResult
{
    public EmulatorPrincipal? Principal { get; init; }

    /// <summary>The credential that signed the request (null for Bedrock API keys).</summary>
    public SigningCredential? Credential { get; init; }

    /// <summary>How the caller authenticated: <c>SigV4</c>, <c>SigV4Query</c>, <c>BedrockApiKey</c> or <c>BedrockApiKeyShortTerm</c>.</summary>
    public string? Method { get; init; }

    /// <summary>The AWS error code returned to the caller when authentication failed.</summary>
    public string? ErrorCode { get; init; }

    public bool Succeeded => Principal is not null;
}
