using Amazon.Runtime;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using Basalt.Credentials.Browser;

namespace Basalt.Credentials.IdentityCenter;

/// <summary>
/// Gets an IAM Identity Center access token the way the AWS CLI v2 does, through the shared cache:
/// <list type="number">
/// <item>a cached token with more than 15 minutes left is used as is (botocore's refresh window);</item>
/// <item>otherwise a refresh-token grant is tried silently (CreateToken, <c>refresh_token</c>);</item>
/// <item>otherwise, only when the user may be prompted, the OAuth device authorization flow (RFC 8628) runs:
/// RegisterClient (reused from its cache file until it expires), StartDeviceAuthorization, the browser is opened
/// and the URL and code printed, and CreateToken is polled every <c>interval</c> seconds, 5 s more after each
/// <c>slow_down</c> (RFC 8628 §3.5), until approval, denial or expiry.</item>
/// </list>
/// </summary>
internal sealed class SsoTokenProvider(SsoTokenCache cache, AwsClientFactory clients, CredentialEnvironment environment)
{
    public static readonly TimeSpan RefreshWindow = TimeSpan.FromMinutes(15);

    private const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>How the poll loop waits; tests substitute a recorder so a <c>slow_down</c> costs no real time.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = (d, ct) => Task.Delay(d, ct);

    internal BrowserLauncher Browser { get; init; } = new(environment);

    public SsoTokenCache Cache => cache;

    /// <summary>
    /// A usable token: cached, refreshed, or (interactive only) from a new sign-in. With
    /// <see cref="CredentialRequest.ForceLogin"/> the cache is skipped and a new sign-in always happens.
    /// </summary>
    public async Task<SsoToken> GetTokenAsync(SsoSessionConfig session, CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        if (!request.ForceLogin && await TryGetSilentAsync(session, request.Log, cancellationToken).ConfigureAwait(false) is { } token)
        {
            return token;
        }

        if (!request.MayPromptUser)
        {
            throw new CredentialException($"The IAM Identity Center sign-in for {session.StartUrl} has expired or never happened, and this run ({request.Context}) may not open a browser. Sign in from an interactive run (basalt-credential --login) and try again.")
            {
                NeedsInteractiveSignIn = true,
            };
        }

        return await SignInAsync(session, request.Log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cached token if it is fresh, else a silently refreshed one, else null.</summary>
    public async Task<SsoToken?> TryGetSilentAsync(SsoSessionConfig session, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(log);
        var token = cache.ReadToken(session.TokenKey, log);
        if (token is null)
        {
            return null;
        }

        var now = environment.UtcNow;
        if (token.ExpiresAt - now > RefreshWindow)
        {
            return token;
        }

        if (token.CanRefresh(now))
        {
            var refreshed = await TryRefreshAsync(session, token, log, cancellationToken).ConfigureAwait(false);
            if (refreshed is not null)
            {
                return refreshed;
            }
        }

        // Like botocore: a token that could not be refreshed is still used while it is valid (a minute is enough
        // to exchange it for role credentials).
        return token.ExpiresAt - now > TimeSpan.FromMinutes(1) ? token : null;
    }

    private async Task<SsoToken?> TryRefreshAsync(SsoSessionConfig session, SsoToken token, TextWriter log, CancellationToken cancellationToken)
    {
        using var client = clients.CreateSsoOidc(session.Region);
        try
        {
            var response = await client.CreateTokenAsync(
                new CreateTokenRequest
                {
                    GrantType = "refresh_token",
                    ClientId = token.ClientId,
                    ClientSecret = token.ClientSecret,
                    RefreshToken = token.RefreshToken,
                },
                cancellationToken).ConfigureAwait(false);
            var refreshed = token with
            {
                StartUrl = session.StartUrl,
                Region = session.Region,
                AccessToken = response.AccessToken,
                ExpiresAt = environment.UtcNow.AddSeconds(response.ExpiresIn ?? 0),
                RefreshToken = response.RefreshToken ?? token.RefreshToken,
            };
            cache.WriteToken(session.TokenKey, refreshed);
            return refreshed;
        }
        catch (AmazonServiceException e)
        {
            // Refresh tokens expire with the portal session; a new sign-in is the fix, not an error.
            log.WriteLine($"IAM Identity Center did not refresh the session ({e.ErrorCode ?? e.GetType().Name}); a new sign-in is needed.");
            return null;
        }
    }

    /// <summary>Runs the device authorization flow and stores the token in the shared cache.</summary>
    public async Task<SsoToken> SignInAsync(SsoSessionConfig session, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(log);
        using var client = clients.CreateSsoOidc(session.Region);
        var registration = await GetRegistrationAsync(client, session, log, cancellationToken).ConfigureAwait(false);

        StartDeviceAuthorizationResponse authorization;
        try
        {
            authorization = await client.StartDeviceAuthorizationAsync(
                new StartDeviceAuthorizationRequest { ClientId = registration.ClientId, ClientSecret = registration.ClientSecret, StartUrl = session.StartUrl },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw new CredentialException($"IAM Identity Center at {session.Region} refused to start a sign-in for {session.StartUrl} ({e.ErrorCode ?? e.GetType().Name}: {e.Message}). Check the start URL and SSO region.", e);
        }

        var interval = TimeSpan.FromSeconds(authorization.Interval is > 0 ? authorization.Interval.Value : 5);
        var deadline = environment.UtcNow.AddSeconds(authorization.ExpiresIn is > 0 ? authorization.ExpiresIn.Value : 600);

        // As the AWS CLI does: one attempt before prompting, for clients that are already authorized.
        var (token, slowDown) = await TryCreateTokenAsync(client, session, registration, authorization.DeviceCode, cancellationToken).ConfigureAwait(false);
        if (slowDown)
        {
            interval += TimeSpan.FromSeconds(5);
        }

        if (token is null)
        {
            Prompt(authorization, log);
        }

        while (token is null)
        {
            if (environment.UtcNow >= deadline)
            {
                throw new CredentialException($"The IAM Identity Center sign-in was not approved within {(authorization.ExpiresIn ?? 600) / 60} minutes. Run the sign-in again.");
            }

            await Delay(interval, cancellationToken).ConfigureAwait(false);
            (token, slowDown) = await TryCreateTokenAsync(client, session, registration, authorization.DeviceCode, cancellationToken).ConfigureAwait(false);
            if (slowDown)
            {
                interval += TimeSpan.FromSeconds(5);
            }
        }

        cache.WriteToken(session.TokenKey, token);
        log.WriteLine($"Signed in to IAM Identity Center ({session.StartUrl}).");
        return token;
    }

    private void Prompt(StartDeviceAuthorizationResponse authorization, TextWriter log)
    {
        var url = authorization.VerificationUriComplete ?? authorization.VerificationUri;
        var opened = Browser.TryOpen(url);
        log.WriteLine(opened
            ? "Your browser has been opened to sign in to AWS IAM Identity Center. If it did not open, or to use another device, open:"
            : "To sign in to AWS IAM Identity Center, open this URL in a browser on any device:");
        log.WriteLine();
        log.WriteLine($"  {url}");
        log.WriteLine();
        log.WriteLine($"and check that the page shows the code: {authorization.UserCode}");
        log.WriteLine();
        log.Flush();
    }

    private async Task<(SsoToken? Token, bool SlowDown)> TryCreateTokenAsync(AmazonSSOOIDCClient client, SsoSessionConfig session, SsoClientRegistration registration, string deviceCode, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.CreateTokenAsync(
                new CreateTokenRequest { GrantType = DeviceCodeGrant, ClientId = registration.ClientId, ClientSecret = registration.ClientSecret, DeviceCode = deviceCode },
                cancellationToken).ConfigureAwait(false);
            var token = new SsoToken(
                session.StartUrl,
                session.Region,
                response.AccessToken,
                environment.UtcNow.AddSeconds(response.ExpiresIn ?? 0),
                registration.ClientId,
                registration.ClientSecret,
                registration.ExpiresAt,
                response.RefreshToken);
            return (token, false);
        }
        catch (AuthorizationPendingException)
        {
            return (null, false);
        }
        catch (SlowDownException)
        {
            return (null, true);
        }
        catch (AccessDeniedException e)
        {
            throw new CredentialException("The IAM Identity Center sign-in was denied in the browser.", e);
        }
        catch (ExpiredTokenException e)
        {
            throw new CredentialException("The IAM Identity Center sign-in code expired before it was approved. Run the sign-in again.", e);
        }
        catch (AmazonServiceException e)
        {
            throw new CredentialException($"IAM Identity Center rejected the sign-in ({e.ErrorCode ?? e.GetType().Name}: {e.Message}).", e);
        }
    }

    private async Task<SsoClientRegistration> GetRegistrationAsync(AmazonSSOOIDCClient client, SsoSessionConfig session, TextWriter log, CancellationToken cancellationToken)
    {
        var key = session.RegistrationKey;
        var cached = cache.ReadRegistration(key, log);

        // botocore reuses a registration until 15 minutes before it expires.
        if (cached is not null && cached.ExpiresAt - environment.UtcNow > RefreshWindow)
        {
            return cached;
        }

        RegisterClientResponse response;
        try
        {
            var name = session.SessionName ?? environment.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var request = new RegisterClientRequest { ClientName = $"basalt-client-{name}", ClientType = "public" };
            if (session.Scopes is { Count: > 0 } scopes)
            {
                request.Scopes = [.. scopes];
            }

            response = await client.RegisterClientAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw new CredentialException($"IAM Identity Center in {session.Region} did not register this device ({e.ErrorCode ?? e.GetType().Name}: {e.Message}). Check the SSO region.", e);
        }

        var registration = new SsoClientRegistration(
            response.ClientId,
            response.ClientSecret,
            DateTimeOffset.FromUnixTimeSeconds(response.ClientSecretExpiresAt ?? 0),
            session.Scopes);
        cache.WriteRegistration(key, registration);
        return registration;
    }
}
