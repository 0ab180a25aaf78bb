namespace Basalt.Identity.OAuth;

/// <summary>
/// An OAuth error answer (RFC 6749 §5.2, RFC 8628 §3.5): the code clients act on and a description for people.
/// Descriptions never contain a code or token.
/// </summary>
public sealed record OAuthError(string Error, string Description, int Status = 400)
{
    public static OAuthError InvalidRequest(string description) => new("invalid_request", description);

    public static OAuthError InvalidGrant(string description) => new("invalid_grant", description);

    public static OAuthError InvalidClient(string description) => new("invalid_client", description, 401);
}
