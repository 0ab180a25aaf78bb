namespace Basalt.ManagedConfig;

/// <summary>
/// The order in which each provider picks a credential when <c>inferenceCredentialKind</c> is unset, by app version
/// (cowork3p-reference §3.2, seeds 000 and 001). The version boundaries are a judgement documented in
/// docs/decisions/0003-credential-precedence-by-app-version.md:
/// <list type="bullet">
/// <item>before v1.6259.0 the in-app AWS sign-in keys did not exist, so the earliest page's order applies;</item>
/// <item>v1.6259.0 (SSO keys introduced) up to v1.13576.0: seed 001, the claude.com/docs/cowork/3p/bedrock page;</item>
/// <item>v1.13576.0 up to v2.7032.0: seed 000, the third-party/claude-desktop page. That page documents
///   <c>inferenceBedrockAwsCliPath</c> (introduced in v1.13576.0) and the app running <c>aws sso login</c> itself; seed 001
///   has neither, so the rewrite describes apps from v1.13576.0 on;</item>
/// <item>v2.7032.0 and later (and an unknown target): the newest page, identity-provider sign-in first.</item>
/// </list>
/// For the other providers the configuration reference's rule applies: a credential helper beats static fields.
/// </summary>
public static class CredentialPrecedence
{
    public static readonly AppVersion SsoIntroduced = AppVersion.Create(1, 6259);
    public static readonly AppVersion BedrockPageRevision = AppVersion.Create(1, 13576);
    public static readonly AppVersion IdentityProviderSignIn = AppVersion.Create(2, 7032);

    /// <summary>Vertex Google sign-in became the interactive kind and the helper applies to Vertex (§3.1, §4 [CONFLICT]).</summary>
    public static readonly AppVersion VertexRevision = AppVersion.Create(1, 40609);

    public static IReadOnlyList<CredentialPrecedenceRule> Rules { get; } =
    [
        new("bedrock-earliest", InferenceProvider.Bedrock, null, SsoIntroduced,
            ["bedrock-bearer", "bedrock-profile", "helper"],
            "earliest Bedrock page (claude-ai.mintlify.app/cowork/3p/bedrock): bearer token → named profile → credential helper; in-app AWS sign-in did not exist yet"),
        new("bedrock-cowork-3p", InferenceProvider.Bedrock, SsoIntroduced, BedrockPageRevision,
            ["bedrock-bearer", "bedrock-profile", "bedrock-sso", "helper"],
            "seed 001, claude.com/docs/cowork/3p/bedrock: bearer token → named profile → in-app AWS sign-in → credential helper"),
        new("bedrock-claude-desktop", InferenceProvider.Bedrock, BedrockPageRevision, IdentityProviderSignIn,
            ["bedrock-sso", "bedrock-profile", "helper", "bedrock-bearer"],
            "seed 000, claude.com/docs/third-party/claude-desktop/bedrock: in-app AWS sign-in → named profile → credential helper → bearer token"),
        new("bedrock-idp", InferenceProvider.Bedrock, IdentityProviderSignIn, null,
            ["bedrock-idp", "bedrock-sso", "bedrock-profile", "helper", "bedrock-bearer"],
            "newest third-party/claude-desktop Bedrock page: identity provider sign-in → in-app AWS sign-in → named profile → credential helper → bearer token"),
        new("mantle", InferenceProvider.Mantle, null, null,
            ["helper", "bedrock-bearer"],
            "configuration reference: when inferenceCredentialHelper is set, static credential fields are ignored"),
        new("gateway", InferenceProvider.Gateway, null, null,
            ["helper", "gateway-oidc", "gateway-key"],
            "configuration reference: the helper beats static fields; SSO before the static key mirrors the newer Bedrock order [UNCONFIRMED]"),
        new("foundry", InferenceProvider.Foundry, null, null,
            ["helper", "foundry-entra", "foundry-key"],
            "configuration reference: the helper beats static fields; Entra sign-in before the static key mirrors the newer Bedrock order [UNCONFIRMED]"),
        new("vertex-older", InferenceProvider.Vertex, null, VertexRevision,
            ["vertex-workforce", "vertex-file", "vertex-google"],
            "older Vertex page: the credentials file disables Google sign-in; the helper is not invoked for Vertex"),
        new("vertex", InferenceProvider.Vertex, VertexRevision, null,
            ["helper", "vertex-workforce", "vertex-google", "vertex-file"],
            "newer Vertex page: Google sign-in beats the credentials file (multi-credential warning logged); the helper applies to every provider"),
        new("anthropic", InferenceProvider.Anthropic, null, null,
            ["helper", "anthropic-key"],
            "configuration reference: when inferenceCredentialHelper is set, static credential fields are ignored"),
    ];

    /// <summary>The rule the app of version <paramref name="target"/> uses (null = newest).</summary>
    public static CredentialPrecedenceRule RuleFor(InferenceProvider provider, AppVersion? target)
        => Rules.First(r => r.Provider == provider && r.AppliesTo(target));
}
