using System.Text.Json;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Http;
using Basalt.Emulator.Logging;
using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.IdentityCenter;

/// <summary>
/// IAM Identity Center OIDC (rest-json; spec §4): RegisterClient, StartDeviceAuthorization and CreateToken with
/// the device-code, refresh-token and authorization-code (PKCE, <see cref="AuthorizePage"/>) grants. Errors carry <c>x-amzn-ErrorType</c> (what the SDKs key on) and the
/// OAuth body <c>{"error","error_description"}</c>, with the statuses of the service model (400; 401 for invalid_client).
/// </summary>
internal sealed class OidcService(EmulatorContext emulator, IdentityCenterStore store)
{
    private const string Service = "sso-oidc";
    private const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private const string RefreshTokenGrant = "refresh_token";
    private const string AuthorizationCodeGrant = "authorization_code";

    public async Task RegisterClientAsync(HttpContext context)
    {
        const string Operation = "RegisterClient";
        using var body = await ReadBodyOrFailAsync(context, Operation);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        var name = Text(root, "clientName");
        var type = Text(root, "clientType");
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(type))
        {
            await FailAsync(context, Operation, 400, "InvalidRequestException", "invalid_request", "clientName and clientType are required.");
            return;
        }

        if (type != "public")
        {
            await FailAsync(context, Operation, 400, "InvalidClientMetadataException", "invalid_client_metadata", $"Unsupported client type: {type}");
            return;
        }

        var grantTypes = TextList(root, "grantTypes");
        var unsupported = grantTypes.FirstOrDefault(g => g is not (DeviceCodeGrant or RefreshTokenGrant or "authorization_code"));
        if (unsupported is not null)
        {
            await FailAsync(context, Operation, 400, "InvalidClientMetadataException", "invalid_client_metadata", $"Unsupported grant type: {unsupported}");
            return;
        }

        // The authorization code grant (what the AWS CLI uses by default since v2.22): the client names where
        // /authorize may send the browser back to; without one there is nowhere to deliver a code.
        var redirectUris = TextList(root, "redirectUris");
        if (grantTypes.Contains("authorization_code", StringComparer.Ordinal)
            && (redirectUris.Count == 0 || redirectUris.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Fragment.Length > 0)))
        {
            await FailAsync(context, Operation, 400, "InvalidRedirectUriException", "invalid_redirect_uri", "redirectUris must list absolute http(s) URIs without fragments for the authorization_code grant.");
            return;
        }

        var client = store.Register(name, TextList(root, "scopes"), grantTypes, redirectUris);
        var baseUri = emulator.BaseAddress.ToString().TrimEnd('/');
        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteString("clientId", client.ClientId);
            w.WriteString("clientSecret", client.ClientSecret);
            w.WriteNumber("clientIdIssuedAt", client.IssuedAt.ToUnixTimeSeconds());
            w.WriteNumber("clientSecretExpiresAt", client.ExpiresAt.ToUnixTimeSeconds());
            if (grantTypes.Contains("authorization_code", StringComparer.Ordinal))
            {
                w.WriteString("authorizationEndpoint", baseUri + "/authorize");
                w.WriteString("tokenEndpoint", baseUri + "/token");
            }
        });
        Record(context, null, Operation, RequestLogEntry.SuccessOutcome, 200);
    }

    public async Task StartDeviceAuthorizationAsync(HttpContext context)
    {
        const string Operation = "StartDeviceAuthorization";
        using var body = await ReadBodyOrFailAsync(context, Operation);
        if (body is null || await AuthenticateOrFailAsync(context, Operation, body.RootElement) is not { } client)
        {
            return;
        }

        var root = body.RootElement;

        var authorization = store.StartDeviceAuthorization(client, Text(root, "startUrl"));
        var verificationUri = new Uri(emulator.BaseAddress, "device").ToString();
        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteString("deviceCode", authorization.DeviceCode);
            w.WriteString("userCode", authorization.UserCode);
            w.WriteString("verificationUri", verificationUri);
            w.WriteString("verificationUriComplete", $"{verificationUri}?user_code={Uri.EscapeDataString(authorization.UserCode)}");
            w.WriteNumber("expiresIn", (int)(authorization.ExpiresAt - authorization.CreatedAt).TotalSeconds);
            w.WriteNumber("interval", (int)Math.Ceiling(authorization.Interval.TotalSeconds));
        });
        Record(context, null, Operation, RequestLogEntry.SuccessOutcome, 200);
    }

    public async Task CreateTokenAsync(HttpContext context)
    {
        const string Operation = "CreateToken";
        using var body = await ReadBodyOrFailAsync(context, Operation);
        if (body is null || await AuthenticateOrFailAsync(context, Operation, body.RootElement) is not { } client)
        {
            return;
        }

        var root = body.RootElement;

        IdentityCenterSession? session;
        switch (Text(root, "grantType"))
        {
            case DeviceCodeGrant:
                var deviceCode = Text(root, "deviceCode");
                if (string.IsNullOrEmpty(deviceCode))
                {
                    await FailAsync(context, Operation, 400, "InvalidRequestException", "invalid_request", "deviceCode is required for the device_code grant.");
                    return;
                }

                var (outcome, issued) = store.Poll(client, deviceCode);
                switch (outcome)
                {
                    case PollOutcome.Pending:
                        await FailAsync(context, Operation, 400, "AuthorizationPendingException", "authorization_pending", "Authorization is still pending");
                        return;
                    case PollOutcome.SlowDown:
                        await FailAsync(context, Operation, 400, "SlowDownException", "slow_down", "Client is polling too frequently; increase the interval between requests");
                        return;
                    case PollOutcome.Denied:
                        await FailAsync(context, Operation, 400, "AccessDeniedException", "access_denied", "The user denied the authorization request");
                        return;
                    case PollOutcome.Expired:
                        await FailAsync(context, Operation, 400, "ExpiredTokenException", "expired_token", "Device code has expired");
                        return;
                    case PollOutcome.InvalidGrant:
                        await FailAsync(context, Operation, 400, "InvalidGrantException", "invalid_grant", "Invalid grant provided");
                        return;
                }

                session = issued!;
                break;
            case AuthorizationCodeGrant:
                var code = Text(root, "code");
                if (string.IsNullOrEmpty(code))
                {
                    await FailAsync(context, Operation, 400, "InvalidRequestException", "invalid_request", "code is required for the authorization_code grant.");
                    return;
                }

                session = client.GrantTypes.Contains(AuthorizationCodeGrant, StringComparer.Ordinal) ? store.RedeemCode(client, code, Text(root, "redirectUri"), Text(root, "codeVerifier")) : null;
                if (session is null)
                {
                    await FailAsync(context, Operation, 400, "InvalidGrantException", "invalid_grant", "Invalid authorization code provided");
                    return;
                }

                break;
            case RefreshTokenGrant:
                var refreshToken = Text(root, "refreshToken");
                session = string.IsNullOrEmpty(refreshToken) ? null : store.Refresh(client, refreshToken);
                if (session is null)
                {
                    await FailAsync(context, Operation, 400, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided");
                    return;
                }

                break;
            case null or "":
                await FailAsync(context, Operation, 400, "InvalidRequestException", "invalid_request", "grantType is required.");
                return;
            default:
                await FailAsync(context, Operation, 400, "UnsupportedGrantTypeException", "unsupported_grant_type", "Unsupported grant type");
                return;
        }

        var now = emulator.Time.GetUtcNow();
        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteString("accessToken", session.AccessToken);
            w.WriteString("tokenType", "Bearer");
            w.WriteNumber("expiresIn", Math.Max(0, (int)(session.AccessExpiresAt - now).TotalSeconds));
            if (session.RefreshToken is not null)
            {
                w.WriteString("refreshToken", session.RefreshToken);
            }
        });
        Record(context, IdentityCenterPrincipals.UserArn(session.UserName), Operation, RequestLogEntry.SuccessOutcome, 200);
    }

    /// <summary>The request's JSON object; null once the invalid_request error has been written.</summary>
    private async Task<JsonDocument?> ReadBodyOrFailAsync(HttpContext context, string operation)
    {
        var body = await ReadJsonAsync(context);
        if (body is null)
        {
            await FailAsync(context, operation, 400, "InvalidRequestException", "invalid_request", "The request body must be a JSON object.");
        }

        return body;
    }

    /// <summary>The client named by clientId/clientSecret; null once the 401 invalid_client error has been written.</summary>
    private async Task<OidcClient?> AuthenticateOrFailAsync(HttpContext context, string operation, JsonElement root)
    {
        var client = store.AuthenticateClient(Text(root, "clientId"), Text(root, "clientSecret"));
        if (client is null)
        {
            await FailAsync(context, operation, 401, "InvalidClientException", "invalid_client", "Invalid client provided");
        }

        return client;
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        var bytes = await EmulatorHttp.ReadBodyAsync(context.Request, context.RequestAborted);
        try
        {
            var doc = JsonDocument.Parse(bytes.Length == 0 ? "{}"u8.ToArray() : bytes);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                return doc;
            }

            doc.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string> TextList(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)]
            : [];

    private async Task FailAsync(HttpContext context, string operation, int status, string exception, string error, string description)
    {
        Record(context, null, operation, exception, status);
        await AwsErrors.WriteOidcErrorAsync(context, status, exception, error, description);
    }

    private void Record(HttpContext context, string? principalArn, string operation, string outcome, int status)
        => emulator.Log.Record(new RequestLogEntry(emulator.Time.GetUtcNow(), principalArn, null, Service, operation, outcome, status, EmulatorHttp.RequestId(context)));
}
