using Basalt.Aws;

namespace Basalt.Credentials.StaticKeys;

/// <summary>Access keys configured directly (a proof of concept or a break-glass setup). Kind: <c>static</c>.</summary>
public sealed class StaticCredentialSource(AwsCredentials credentials) : ICredentialSource
{
    public string Kind => "static";

    public ValueTask<AwsCredentials> GetCredentialsAsync(CredentialRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(credentials);

    public override string ToString() => $"StaticCredentialSource {{ AccessKeyId = {credentials.AccessKeyId} }}";
}
