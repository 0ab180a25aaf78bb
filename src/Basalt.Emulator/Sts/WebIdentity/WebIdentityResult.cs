using Basalt.Emulator.Options;

namespace Basalt.Emulator.Sts.WebIdentity;

/// <summary>
/// The outcome of checking a web identity token against a role: the accepted claims, or the STS error
/// (code, HTTP status, message) to return.
/// </summary>
internal sealed record WebIdentityResult
{
    public string? Subject { get; init; }

    public string? Audience { get; init; }

    public string? Issuer { get; init; }

    public WebIdentityTrust? Trust { get; init; }

    public string? ErrorCode { get; init; }

    public int ErrorStatus { get; init; }

    public string? ErrorMessage { get; init; }

    public bool Succeeded => ErrorCode is null;

    public static WebIdentityResult Fail(string code, int status, string message) => new() { ErrorCode = code, ErrorStatus = status, ErrorMessage = message };
}
