using Basalt.Aws;
using Basalt.Credentials.Output;
using Basalt.Credentials.Settings;

namespace Basalt.Credentials;

/// <summary>
/// What a profile resolved to: AWS credentials (null for a Bedrock API key profile), the Bedrock bearer token when
/// the profile outputs one (minted from the credentials, or the configured API key), and the extra headers for
/// Claude Desktop. The output methods render the helper's stdout formats. <see cref="ToString"/> redacts.
/// </summary>
public sealed record ResolvedCredential(
    CredentialProfileSettings Profile,
    AwsCredentials? AwsCredentials,
    string? BearerToken,
    DateTimeOffset? BearerTokenExpiration,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>AWS <c>credential_process</c> JSON.</summary>
    public string ToCredentialProcessJson()
        => CredentialOutput.CredentialProcess(RequireAws("credential_process"));

    /// <summary>Claude Code <c>awsCredentialExport</c> JSON.</summary>
    public string ToAwsCredentialExportJson()
        => CredentialOutput.AwsCredentialExport(RequireAws("awsCredentialExport"));

    /// <summary>Claude Desktop helper output: the bare token, or <c>{"token","headers"}</c> when there are headers.</summary>
    public string ToDesktopHelperOutput()
        => CredentialOutput.DesktopHelper(
            BearerToken ?? throw new CredentialException($"Profile \"{Profile.Name}\" gives AWS credentials, but Claude Desktop needs a Bedrock token: set \"output\": {{ \"bedrockToken\": true }} and a \"region\" for this profile."),
            Headers);

    public string ToShellExport(ShellKind shell)
        => CredentialOutput.ShellExport(AwsCredentials, shell, Profile.Region, BearerToken);

    private AwsCredentials RequireAws(string format)
        => AwsCredentials ?? throw new CredentialException($"Profile \"{Profile.Name}\" is a Bedrock API key, which has no AWS credentials for {format}; use the Desktop helper or env output instead.");

    public override string ToString()
        => $"ResolvedCredential {{ Profile = {Profile.Name}, AwsCredentials = {AwsCredentials}, BearerToken = {(BearerToken is null ? "none" : "***")}, BearerTokenExpiration = {BearerTokenExpiration:O}, Headers = {Headers.Count} }}";
}
