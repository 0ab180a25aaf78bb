using Basalt.Aws;
using Basalt.Emulator.Http;
using Basalt.Emulator.Identity;
using Basalt.Emulator.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Basalt.Emulator.Auth;

/// <summary>
/// Authenticates AWS-shaped requests against the emulator's identities: SigV4 in the <c>Authorization</c>
/// header, SigV4 presigned query, or (Bedrock only) <c>Authorization: Bearer</c> with a Bedrock API key
/// (spec §3). On failure it writes the error AWS would return, in the protocol of <c>signingService</c>
/// (awsQuery XML for <c>sts</c>, rest-json for everything else), records the attempt in the request log, and
/// returns a failed result; the handler then just returns.
/// </summary>
internal sealed class EmulatorAuthenticator(IdentityStore identities, RequestLog log, TimeProvider time)
{
    private const string BearerPrefix = "Bearer ";
    private readonly SigV4Verifier _verifier = new();

    /// <summary>Authenticates a request for <paramref name="signingService"/> (e.g. <c>bedrock</c>, <c>sts</c>).</summary>
    public Task<AuthenticationResult> AuthenticateAsync(HttpContext context, string signingService)
        => AuthenticateAsync(context, signingService, operation: null);

    /// <summary>As above; <paramref name="operation"/> names the call in the request log when authentication fails.</summary>
    public async Task<AuthenticationResult> AuthenticateAsync(HttpContext context, string signingService, string? operation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(signingService);
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return await AuthenticateBearerAsync(context, signingService, operation, authorization[BearerPrefix.Length..].Trim());
        }

        var body = await EmulatorHttp.ReadBodyAsync(context.Request, context.RequestAborted);
        return await AuthenticateSigV4Async(context, signingService, operation, ToSigV4Request(context, body));
    }

    private async Task<AuthenticationResult> AuthenticateSigV4Async(HttpContext context, string signingService, string? operation, SigV4Request request)
    {
        SigningCredential? found = null;
        var now = time.GetUtcNow();
        var result = await _verifier.VerifyAsync(
            request,
            (accessKeyId, _) =>
            {
                found = identities.TryGetCredential(accessKeyId, out var c) ? c : null;
                return ValueTask.FromResult(found?.SecretAccessKey);
            },
            now,
            context.RequestAborted);
        var method = result.Location == SigV4AuthLocation.Query ? "SigV4Query" : "SigV4";

        if (result.Failure == SigV4FailureReason.Missing)
        {
            return await FailAsync(context, signingService, operation, null, AuthError.Missing, "Missing Authentication Token");
        }

        if (found is null)
        {
            return result.Failure == SigV4FailureReason.Malformed
                ? await FailAsync(context, signingService, operation, null, AuthError.Malformed, result.Message)
                : await FailAsync(context, signingService, operation, null, AuthError.UnknownKey, "The security token included in the request is invalid.");
        }

        // Session credentials are only valid with their own token, and long-term keys with none (AWS answers both as an invalid token).
        if (!string.Equals(found.SessionToken, result.SessionToken, StringComparison.Ordinal))
        {
            return await FailAsync(context, signingService, operation, found.Principal, AuthError.UnknownKey, "The security token included in the request is invalid.");
        }

        // Expiry is checked before the clock skew so that a test which advanced the clock sees ExpiredToken, as a real late caller would.
        if (found.IsExpired(now))
        {
            return await FailAsync(context, signingService, operation, found.Principal, AuthError.Expired, "The security token included in the request is expired");
        }

        if (!result.IsValid)
        {
            var kind = result.Failure == SigV4FailureReason.Malformed ? AuthError.Malformed : AuthError.Signature;
            return await FailAsync(context, signingService, operation, found.Principal, kind, result.Message);
        }

        if (!string.Equals(result.Service, signingService, StringComparison.Ordinal))
        {
            return await FailAsync(context, signingService, operation, found.Principal, AuthError.Signature, $"Credential should be scoped to correct service: '{signingService}'. ");
        }

        // The scope's region must be the one this endpoint serves (STS's global endpoint is signed for us-east-1).
        if (!string.Equals(result.Region, identities.Region, StringComparison.Ordinal) && !(signingService == "sts" && result.Region == "us-east-1"))
        {
            return await FailAsync(context, signingService, operation, found.Principal, AuthError.Signature, $"Credential should be scoped to a valid region. The credential is scoped to '{result.Region}', this endpoint serves '{identities.Region}'.");
        }

        return new AuthenticationResult { Principal = found.Principal, Credential = found, Method = method };
    }

    private async Task<AuthenticationResult> AuthenticateBearerAsync(HttpContext context, string signingService, string? operation, string token)
    {
        // Bearer tokens are Bedrock API keys (spec §3); no other AWS service here accepts them.
        if (signingService != "bedrock")
        {
            return await FailAsync(context, signingService, operation, null, AuthError.Missing, "Missing Authentication Token");
        }

        if (BedrockApiKey.IsShortTermKey(token))
        {
            return await AuthenticateShortTermKeyAsync(context, signingService, operation, token);
        }

        if (identities.TryGetBedrockApiKey(token, out var principal))
        {
            return new AuthenticationResult { Principal = principal, Method = "BedrockApiKey" };
        }

        return await FailAsync(context, signingService, operation, null, AuthError.UnknownKey, "The security token included in the request is invalid.");
    }

    /// <summary>
    /// A short-term key is a presigned <c>CallWithBearerToken</c> URL (spec §3): its SigV4 signature is checked
    /// with the signing principal's secret, like any presigned request, and it is valid only in the region it
    /// was minted for and only while both the key and the credentials that signed it are unexpired.
    /// </summary>
    private async Task<AuthenticationResult> AuthenticateShortTermKeyAsync(HttpContext context, string signingService, string? operation, string token)
    {
        if (!BedrockApiKey.TryDecode(token, out var decoded) || decoded.Service != BedrockApiKey.SigningService)
        {
            return await FailAsync(context, signingService, operation, null, AuthError.UnknownKey, "Invalid API Key format: the bearer token is not a valid short-term Bedrock API key.");
        }

        SigningCredential? found = null;
        var now = time.GetUtcNow();
        var result = await BedrockApiKey.VerifyAsync(
            decoded,
            (accessKeyId, _) =>
            {
                found = identities.TryGetCredential(accessKeyId, out var c) ? c : null;
                return ValueTask.FromResult(found?.SecretAccessKey);
            },
            now,
            _verifier,
            context.RequestAborted);
        if (found is null || !string.Equals(found.SessionToken, decoded.SessionToken, StringComparison.Ordinal))
        {
            return await FailAsync(context, signingService, operation, found?.Principal, AuthError.UnknownKey, "The security token included in the request is invalid.");
        }

        if (found.IsExpired(now) || result.Failure == SigV4FailureReason.Expired)
        {
            return await FailAsync(context, signingService, operation, found.Principal, AuthError.Expired, "The security token included in the request is expired");
        }

        if (!result.IsValid)
        {
            return await FailAsync(context, signingService, operation, found.Principal, AuthError.Signature, result.Message);
        }

        if (!string.Equals(decoded.Region, identities.Region, StringComparison.Ordinal))
        {
            return await FailAsync(context, signingService, operation, found.Principal, AuthError.Signature, $"Credential should be scoped to a valid region: the API key was issued for '{decoded.Region}', this endpoint serves '{identities.Region}'.");
        }

        return new AuthenticationResult { Principal = found.Principal, Credential = found, Method = "BedrockApiKeyShortTerm" };
    }

    private async Task<AuthenticationResult> FailAsync(HttpContext context, string signingService, string? operation, EmulatorPrincipal? principal, AuthError error, string message)
    {
        var isQuery = signingService == "sts";
        var (status, code) = (error, isQuery) switch
        {
            (AuthError.Missing, true) => (403, "MissingAuthenticationToken"),
            (AuthError.Missing, false) => (403, "MissingAuthenticationTokenException"),
            (AuthError.Malformed, true) => (400, "IncompleteSignature"),
            (AuthError.Malformed, false) => (403, "IncompleteSignatureException"),
            (AuthError.UnknownKey, true) => (403, "InvalidClientTokenId"),
            (AuthError.UnknownKey, false) => (403, "UnrecognizedClientException"),
            (AuthError.Expired, true) => (403, "ExpiredToken"),
            (AuthError.Expired, false) => (403, "ExpiredTokenException"),
            (AuthError.Signature, true) => (403, "SignatureDoesNotMatch"),
            _ => (403, "InvalidSignatureException"),
        };

        log.Record(new RequestLogEntry(time.GetUtcNow(), principal?.Arn, principal?.AccountId, signingService, operation ?? Operation(context), code, status, EmulatorHttp.RequestId(context)));
        if (isQuery)
        {
            await AwsErrors.WriteQueryErrorAsync(context, status, code, message);
        }
        else
        {
            await AwsErrors.WriteJsonErrorAsync(context, status, code, message, AwsErrors.CoralServiceNamespace);
        }

        return new AuthenticationResult { ErrorCode = code };
    }

    private static string Operation(HttpContext context) => $"{context.Request.Method} {context.Request.Path}";

    /// <summary>The request as it travelled: raw target (still percent-encoded, SigV4 signs it so), all headers, the body.</summary>
    internal static SigV4Request ToSigV4Request(HttpContext context, byte[] body)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget) || !rawTarget.StartsWith('/'))
        {
            rawTarget = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        }

        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value ?? string.Empty));
            }
        }

        // Over HTTP/2 the authority travels as the ':authority' pseudo-header (RFC 9113 §8.3.1), which Kestrel
        // surfaces as Host; clients on HTTP/2 (the JS SDK's NodeHttp2Handler) sign it under that name.
        if (!HttpProtocol.IsHttp11(context.Request.Protocol) && !HttpProtocol.IsHttp10(context.Request.Protocol) && context.Request.Headers.Host is [{ } authority])
        {
            headers.Add(new(":authority", authority));
        }

        return new SigV4Request
        {
            Method = context.Request.Method,
            RawPath = q < 0 ? rawTarget : rawTarget[..q],
            RawQuery = q < 0 ? null : rawTarget[(q + 1)..],
            Headers = headers,
            Body = body,
        };
    }

    private enum AuthError
    {
        Missing,
        Malformed,
        UnknownKey,
        Expired,
        Signature,
    }
}
