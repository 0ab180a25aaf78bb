namespace Basalt.Credentials.Oidc;

/// <summary>
/// A device authorization response (RFC 8628 §3.2). <see cref="DeviceCode"/> is the polling secret and never
/// shown; <see cref="UserCode"/> and the verification URIs are what the user is shown.
/// </summary>
internal sealed record DeviceAuthorization(string DeviceCode, string UserCode, Uri VerificationUri, Uri? VerificationUriComplete, TimeSpan ExpiresIn, TimeSpan Interval)
{
    public override string ToString()
        => $"DeviceAuthorization {{ UserCode = {UserCode}, VerificationUri = {VerificationUri}, ExpiresIn = {ExpiresIn}, Interval = {Interval}, DeviceCode = *** }}";
}
