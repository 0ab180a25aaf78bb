using Basalt.Aws;

namespace Basalt.Credentials;

/// <summary>
/// One way of obtaining AWS credentials on an end-user device: IAM Identity Center device authorization, OIDC
/// federation + STS, a named AWS profile, or static keys. Caching and cross-process locking wrap sources from
/// outside, so a source always does the real work when asked.
/// </summary>
public interface ICredentialSource
{
    /// <summary>Stable kind name used in settings and <c>--explain</c>: identity-center, oidc, aws-profile, static.</summary>
    string Kind { get; }

    /// <summary>
    /// Obtains credentials. Throws <see cref="CredentialException"/> with a message fit for the user (what failed and
    /// what to do) when it cannot; when <see cref="CredentialRequest.MayPromptUser"/> is false it must not prompt.
    /// </summary>
    ValueTask<AwsCredentials> GetCredentialsAsync(CredentialRequest request, CancellationToken cancellationToken);
}
