namespace Basalt.Credentials;

/// <summary>
/// Endpoint overrides for the identity services a credential source calls (bedrock-and-clients §4): IAM Identity
/// Center OIDC, the access portal, and STS. Null means the public regional endpoint. Overrides point the official
/// AWS SDK clients at PrivateLink endpoints or at the local emulator in tests.
/// </summary>
public sealed record AwsServiceEndpoints(Uri? SsoOidc = null, Uri? Sso = null, Uri? Sts = null)
{
    public static AwsServiceEndpoints None { get; } = new();

    /// <summary>
    /// Reads the AWS SDKs' standard service-specific endpoint variables (<c>AWS_ENDPOINT_URL_SSO_OIDC</c>,
    /// <c>AWS_ENDPOINT_URL_SSO</c>, <c>AWS_ENDPOINT_URL_STS</c>, falling back to <c>AWS_ENDPOINT_URL</c>), so a
    /// device configured for the SDKs is configured for Basalt too.
    /// </summary>
    public static AwsServiceEndpoints FromEnvironment(CredentialEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var global = environment.Get("AWS_ENDPOINT_URL");
        return new AwsServiceEndpoints(
            ToUri(environment.Get("AWS_ENDPOINT_URL_SSO_OIDC") ?? global),
            ToUri(environment.Get("AWS_ENDPOINT_URL_SSO") ?? global),
            ToUri(environment.Get("AWS_ENDPOINT_URL_STS") ?? global));
    }

    /// <summary>Values set here win; unset ones come from <paramref name="fallback"/>.</summary>
    public AwsServiceEndpoints Or(AwsServiceEndpoints fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new AwsServiceEndpoints(SsoOidc ?? fallback.SsoOidc, Sso ?? fallback.Sso, Sts ?? fallback.Sts);
    }

    private static Uri? ToUri(string? value)
        => value is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
}
