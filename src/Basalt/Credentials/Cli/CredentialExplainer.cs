using Basalt.Credentials.IdentityCenter;
using Basalt.Credentials.Output;
using Basalt.Credentials.Settings;

namespace Basalt.Credentials.Cli;

/// <summary>
/// <c>explain</c>: which settings file was used, which profile and source it resolves to, which endpoints and
/// context apply, and what the caches hold — all from local files, never the network. Secret values (secret access
/// keys, API keys, tokens) are shown only as "(set)".
/// </summary>
internal static class CredentialExplainer
{
    public static void Write(TextWriter output, CredentialHelperResolver resolver, string? profileName, string settingsPath, CredentialContext context, CredentialEnvironment environment)
    {
        var settings = resolver.Settings;
        var profile = resolver.GetProfile(profileName);
        var lines = new List<(string, string?)>
        {
            ("settings", settingsPath),
            ("profile", profile.Name + (profileName is null ? " (default)" : string.Empty) + $"; profiles in the file: {string.Join(", ", settings.Profiles.Keys)}"),
            ("description", profile.Description),
            ("source", CredentialSourceKinds.ToName(profile.Source)),
            ("region", profile.Region ?? "(none)"),
        };

        switch (profile.Source)
        {
            case CredentialSourceKind.IdentityCenter:
                lines.Add(("startUrl", profile.StartUrl));
                lines.Add(("ssoRegion", profile.SsoRegion));
                lines.Add(("accountId", profile.AccountId));
                lines.Add(("roleName", profile.RoleName));
                lines.Add(("ssoSession", profile.SsoSession ?? "(none: the token is shared by start URL)"));
                var tokenCache = new SsoTokenCache(SsoTokenCache.DefaultDirectory(environment));
                var tokenPath = tokenCache.PathFor(SsoTokenCache.TokenKey(profile.StartUrl!, profile.SsoSession));
                var token = tokenCache.ReadToken(SsoTokenCache.TokenKey(profile.StartUrl!, profile.SsoSession), TextWriter.Null);
                lines.Add(("sso token", token is null
                    ? $"none in {tokenPath} (an interactive run or 'login' signs in)"
                    : $"{tokenPath}, expires {CredentialOutput.FormatExpiration(token.ExpiresAt)}{(token.RefreshToken is null ? string.Empty : ", refreshable")}"));
                break;
            case CredentialSourceKind.AwsProfile:
                lines.Add(("aws profile", profile.AwsProfile));
                lines.Add(("aws dir", profile.AwsDir ?? "(default ~/.aws or $AWS_CONFIG_FILE)"));
                lines.Add(("aws cli", profile.AwsCliPath ?? "(aws on PATH, when the profile needs it)"));
                break;
            case CredentialSourceKind.Static:
                lines.Add(("accessKeyId", profile.AccessKeyId));
                lines.Add(("secretAccessKey", "(set)"));
                lines.Add(("sessionToken", profile.SessionToken is null ? "(none)" : "(set)"));
                break;
            case CredentialSourceKind.BedrockApiKey:
                lines.Add(("apiKey", "(set)"));
                break;
            case CredentialSourceKind.Gateway:
                lines.Add(("gateway", profile.GatewayUrl?.OriginalString));
                lines.Add(("clientId", profile.GatewayClientId));
                lines.Add(("sign-in", "device grant at the gateway (its /.well-known/oauth-authorization-server), then silent refresh"));
                break;
            case CredentialSourceKind.Oidc when profile.Oidc is { } oidc:
                lines.Add(("issuer", oidc.Issuer));
                lines.Add(("clientId", oidc.ClientId));
                lines.Add(("preset", oidc.Preset.ToString()));
                lines.Add(("flow", oidc.Flow.ToString()));
                lines.Add(("redirect", $"http://127.0.0.1:{oidc.RedirectPort}/callback"));
                lines.Add(("roleArn", oidc.RoleArn));
                lines.Add(("sts region", oidc.Region));
                lines.Add(("session", $"{oidc.SessionDurationSeconds} s"));
                lines.Add(("sts endpoint", oidc.StsEndpoint?.ToString()));
                break;
        }

        var produced = profile.Output;
        lines.Add(("output", profile.Source == CredentialSourceKind.Gateway
            ? $"the gateway's access token ({CredentialVerbNames.GatewayOAuthToken})"
            : produced.BedrockToken || profile.Source == CredentialSourceKind.BedrockApiKey
            ? $"Bedrock token (lifetime up to {DurationText.Format(produced.TokenLifetime)})"
            : "AWS credentials (the Desktop helper and 'token' still mint a Bedrock token)"));
        if (produced.Headers.Count > 0)
        {
            lines.Add(("headers", string.Join(", ", produced.Headers.Keys)));
        }

        var fromEnvironment = AwsServiceEndpoints.FromEnvironment(environment);
        var endpoints = profile.Endpoints.Or(fromEnvironment);
        lines.Add(("endpoint sso-oidc", Describe(endpoints.SsoOidc, profile.Endpoints.SsoOidc)));
        lines.Add(("endpoint sso", Describe(endpoints.Sso, profile.Endpoints.Sso)));
        lines.Add(("endpoint sts", Describe(endpoints.Sts, profile.Endpoints.Sts)));
        lines.Add(("context", $"{CredentialContexts.ToName(context)} ({CredentialContexts.ContextVariable}={environment.Get(CredentialContexts.ContextVariable) ?? "unset"}); " +
            (context == CredentialContext.Interactive ? "may open a browser" : "silent: cache and refresh only")));
        lines.Add(("cache", $"{resolver.Cache.Directory} (key in {resolver.Cache.KeyStoreName})"));
        var state = CacheState.Read(resolver, profile, environment);
        lines.Add(("cached", state.Describe(environment.UtcNow) + (state.CacheFile is null ? string.Empty : $" [{state.CacheFile}]")));
        lines.Add(("refresh margin", $"{resolver.RefreshMargin.TotalMinutes:0} min before expiry"));

        var width = lines.Max(l => l.Item1.Length) + 2;
        foreach (var (name, value) in lines)
        {
            if (value is not null)
            {
                output.WriteLine((name + ":").PadRight(width) + value);
            }
        }
    }

    private static string Describe(Uri? effective, Uri? fromSettings)
        => effective is null ? "public AWS endpoint" : $"{effective} ({(fromSettings is null ? "from AWS_ENDPOINT_URL*" : "from the settings")})";
}
