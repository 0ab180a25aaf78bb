namespace Basalt.Deployment.Init;

/// <summary>
/// Answers for <c>basalt deploy init</c>. Anything left null is asked on the terminal (or taken from piped
/// input, or its default with <c>--yes</c>).
/// </summary>
public sealed record DeploymentInitAnswers
{
    public string? Name { get; init; }

    public string? Organization { get; init; }

    /// <summary>bearer-token, aws-sign-in, named-profile, credential-helper or gateway.</summary>
    public string? Approach { get; init; }

    public string? Region { get; init; }

    /// <summary>regional, cross-region or global.</summary>
    public string? Scope { get; init; }

    public string? AccountId { get; init; }

    public string? SsoStartUrl { get; init; }

    public string? SsoRegion { get; init; }

    public string? RoleName { get; init; }

    public string? ProfileName { get; init; }

    /// <summary>Environment variable that will hold the Bedrock API key or the gateway key.</summary>
    public string? SecretEnv { get; init; }

    public string? OidcIssuer { get; init; }

    public string? OidcClientId { get; init; }

    public string? GatewayUrl { get; init; }

    /// <summary>Comma-separated model families (opus, sonnet, haiku); the first is the default model.</summary>
    public string? Models { get; init; }

    /// <summary>Comma-separated user-group names; empty for a single group.</summary>
    public string? Groups { get; init; }
}
