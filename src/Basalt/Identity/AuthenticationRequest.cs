namespace Basalt.Identity;

/// <summary>
/// What an authenticator may look at. Claude Code's <c>apiKeyHelper</c> output arrives in both
/// <c>Authorization: Bearer</c> and <c>x-api-key</c> (gateway.md §1.3), so both are given.
/// </summary>
/// <param name="BearerToken">The value after <c>Bearer </c> in <c>Authorization</c>, if any.</param>
/// <param name="ApiKey">The <c>x-api-key</c> header, if any.</param>
/// <param name="Path">Request path (no query), for authenticators that scope credentials to routes.</param>
/// <param name="RemoteAddress">Client address, for audit and rate-limiting of failed attempts.</param>
public sealed record AuthenticationRequest(
    string? BearerToken,
    string? ApiKey,
    string Path,
    string? RemoteAddress = null)
{
    /// <summary>The credential the caller sent: the bearer token if present, else the API key.</summary>
    public string? Credential => !string.IsNullOrEmpty(BearerToken) ? BearerToken : ApiKey;
}
