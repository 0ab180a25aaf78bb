using Basalt.Aws;

namespace Basalt.Bedrock;

/// <summary>
/// How a Bedrock client authenticates each attempt: SigV4 with AWS credentials (fetched per attempt, so a
/// refreshing provider works across retries), a Bedrock API key as <c>Authorization: Bearer</c>
/// (spec bedrock-and-clients §3), or nothing (a gateway that signs on its own, like
/// <c>CLAUDE_CODE_SKIP_BEDROCK_AUTH=1</c>). <see cref="ToString"/> never shows a secret.
/// </summary>
public abstract class BedrockAuth
{
    /// <summary>The SigV4 signing name of both Bedrock runtime and control plane.</summary>
    public const string SigningService = "bedrock";

    private protected BedrockAuth()
    {
    }

    public static BedrockAuth None { get; } = new NoAuth();

    public static BedrockAuth SigV4(AwsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new SigV4Auth(_ => ValueTask.FromResult(credentials));
    }

    public static BedrockAuth SigV4(Func<CancellationToken, ValueTask<AwsCredentials>> credentialProvider)
    {
        ArgumentNullException.ThrowIfNull(credentialProvider);
        return new SigV4Auth(credentialProvider);
    }

    /// <summary>A long-term or short-term Bedrock API key (<c>AWS_BEARER_TOKEN_BEDROCK</c>).</summary>
    public static BedrockAuth ApiKey(string apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        return new BearerAuth(_ => ValueTask.FromResult(apiKey));
    }

    public static BedrockAuth Bearer(Func<CancellationToken, ValueTask<string>> tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(tokenProvider);
        return new BearerAuth(tokenProvider);
    }

    internal abstract ValueTask ApplyAsync(HttpRequestMessage request, string region, DateTimeOffset now, CancellationToken cancellationToken);

    private sealed class NoAuth : BedrockAuth
    {
        internal override ValueTask ApplyAsync(HttpRequestMessage request, string region, DateTimeOffset now, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public override string ToString() => "none";
    }

    private sealed class SigV4Auth(Func<CancellationToken, ValueTask<AwsCredentials>> provider) : BedrockAuth
    {
        internal override async ValueTask ApplyAsync(HttpRequestMessage request, string region, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var credentials = await provider(cancellationToken).ConfigureAwait(false);
            await SigV4Signer.SignAsync(request, credentials, region, SigningService, now, cancellationToken).ConfigureAwait(false);
        }

        public override string ToString() => "SigV4";
    }

    private sealed class BearerAuth(Func<CancellationToken, ValueTask<string>> provider) : BedrockAuth
    {
        internal override async ValueTask ApplyAsync(HttpRequestMessage request, string region, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var token = await provider(cancellationToken).ConfigureAwait(false);
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        public override string ToString() => "Bearer ***";
    }
}
