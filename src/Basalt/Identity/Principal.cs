namespace Basalt.Identity;

/// <summary>
/// Who is calling the gateway, resolved before anything else runs (ARCHITECTURE.md, gateway flow). Every
/// authentication path (configured API key, managed key, OIDC bearer, the gateway's own tokens, a presigned AWS
/// identity) produces one of these; policy, routing, upstream sessions and usage read only this.
/// </summary>
/// <param name="UserId">Stable id: <c>oid</c> for Entra ID, <c>sub</c> otherwise, the ARN-derived id for AWS
/// identities, or the bound user of an API key. Never an email address (emails change and are reassigned).</param>
/// <param name="DisplayName">For reports and logs; may equal <paramref name="UserId"/>.</param>
/// <param name="Email">Informational only; never used as a key.</param>
/// <param name="Groups">Gateway groups (after claim/IdP-group mapping). They decide models, budgets and limits.</param>
/// <param name="Method">How the caller proved who they are.</param>
/// <param name="CredentialId">Non-secret id of the credential used: API key id/prefix, token <c>jti</c> or hash
/// prefix, presigned-identity ARN. Recorded in usage and audit; never the secret itself.</param>
/// <param name="CostCentre">Optional cost centre, carried into AWS session tags and usage records.</param>
public sealed record Principal(
    string UserId,
    string DisplayName,
    string? Email,
    IReadOnlyList<string> Groups,
    AuthenticationMethod Method,
    string CredentialId,
    string? CostCentre = null)
{
    /// <summary>
    /// Models this credential is limited to (client ids), beyond what the groups allow: a managed API key's
    /// allowed models. Null means no extra limit.
    /// </summary>
    public IReadOnlyList<string>? AllowedModels { get; init; }

    public bool IsInGroup(string group) => Groups.Contains(group, StringComparer.Ordinal);
}
