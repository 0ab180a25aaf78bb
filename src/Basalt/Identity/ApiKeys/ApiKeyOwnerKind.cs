namespace Basalt.Identity.ApiKeys;

/// <summary>Whom a managed key speaks for: one person (a stable user id) or a team (service accounts).</summary>
public enum ApiKeyOwnerKind
{
    User,
    Team,
}
