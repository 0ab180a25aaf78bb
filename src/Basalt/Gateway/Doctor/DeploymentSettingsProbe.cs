using System.Text.Json;
using Basalt.Deployment;
using Basalt.Deployment.Generation;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;

namespace Basalt.Gateway.Doctor;

/// <summary>
/// The device side of the doctor (issue 11 item 3): generates the deployment exactly as <c>basalt deploy generate</c>
/// does (in memory, nothing written) and, for every group that goes through a gateway, sends the credential each
/// generated file carries the way its client sends it — Claude Code's managed settings (<c>ANTHROPIC_BASE_URL</c> +
/// <c>ANTHROPIC_AUTH_TOKEN</c>/<c>ANTHROPIC_API_KEY</c>, or Bedrock mode's <c>ANTHROPIC_BEDROCK_BASE_URL</c> +
/// <c>ANTHROPIC_CUSTOM_HEADERS</c>) and Claude Desktop's managed configuration (<c>inferenceGatewayBaseUrl</c>,
/// <c>inferenceGatewayApiKey</c>, <c>inferenceGatewayAuthScheme</c>) — to the gateway's model list, at the base URL
/// the file names. For a group that signs in to the gateway itself, it checks the gateway's authorization-server
/// metadata as Claude Desktop does. Credentials obtained on the device (an IdP sign-in, a helper) cannot be checked
/// from here and say so.
/// </summary>
internal static class DeploymentSettingsProbe
{
    public static async Task<IReadOnlyList<DoctorCheck>> CheckAsync(string path, Uri doctorUrl, HttpClient http, CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        var parsed = DeploymentFileParser.Load(path);
        if (!parsed.Success)
        {
            var first = parsed.Diagnostics.FirstOrDefault(d => d.IsError);
            checks.Add(new DoctorCheck("settings", DoctorStatus.Failed, $"{path} does not load: {first}", "fix the deployment file ('basalt deploy validate' shows every problem)"));
            return checks;
        }

        var generated = new DeploymentGenerator().Generate(parsed.File!);
        if (!generated.Success)
        {
            var first = generated.Diagnostics.FirstOrDefault(d => d.IsError);
            checks.Add(new DoctorCheck("settings", DoctorStatus.Failed, $"{path} does not generate: {first}", "run 'basalt deploy generate' to see every problem"));
            return checks;
        }

        foreach (var artifact in generated.Artifacts)
        {
            if (artifact.RelativePath.EndsWith("/claude-code/managed-settings.json", StringComparison.Ordinal))
            {
                if (await ClaudeCodeAsync(artifact, doctorUrl, http, cancellationToken).ConfigureAwait(false) is { } check)
                {
                    checks.Add(check);
                }
            }
            else if (ManagedConfigReader.Detect(artifact.Content.Span) is { } format && format is ConfigFormat.MobileConfig or ConfigFormat.Reg or ConfigFormat.LinuxJson)
            {
                if (await DesktopAsync(artifact, format, doctorUrl, http, cancellationToken).ConfigureAwait(false) is { } check)
                {
                    checks.Add(check);
                }
            }
        }

        if (checks.Count == 0)
        {
            checks.Add(new DoctorCheck("settings", DoctorStatus.Skipped, $"no group in {path} goes through a gateway"));
        }

        return checks;
    }

    private static async Task<DoctorCheck?> ClaudeCodeAsync(GeneratedArtifact artifact, Uri doctorUrl, HttpClient http, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(artifact.Content);
        if (!document.RootElement.TryGetProperty("env", out var env) || env.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? Env(string name) => env.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var name = $"settings {artifact.RelativePath}";
        if (Env("ANTHROPIC_BASE_URL") is { } anthropicBase)
        {
            var (credential, scheme) = Env("ANTHROPIC_AUTH_TOKEN") is { } token ? (token, "bearer") : Env("ANTHROPIC_API_KEY") is { } key ? (key, "x-api-key") : (null, "bearer");
            if (credential is null)
            {
                return new DoctorCheck(name, DoctorStatus.Skipped, $"Claude Code (Anthropic mode) gets its credential on the device ({(document.RootElement.TryGetProperty("apiKeyHelper", out _) ? "apiKeyHelper" : "sign-in")}); not checkable from here");
            }

            return await ProbeAsync(name, "Claude Code, Anthropic mode", anthropicBase, "v1/models", credential, scheme, doctorUrl, http, cancellationToken).ConfigureAwait(false);
        }

        if (Env("ANTHROPIC_BEDROCK_BASE_URL") is { } bedrockBase && Env("CLAUDE_CODE_SKIP_BEDROCK_AUTH") == "1")
        {
            var header = Env("ANTHROPIC_CUSTOM_HEADERS");
            if (header is null)
            {
                return new DoctorCheck(name, DoctorStatus.Failed, "Claude Code (Bedrock mode through the gateway) carries no gateway credential", "give the group's gateway an apiKey, or use claudeCode.gatewayMode: anthropic");
            }

            var (scheme, credential) = header.StartsWith("x-api-key:", StringComparison.OrdinalIgnoreCase)
                ? ("x-api-key", header["x-api-key:".Length..].Trim())
                : ("bearer", header[(header.IndexOf("Bearer ", StringComparison.OrdinalIgnoreCase) + 7)..].Trim());
            return await ProbeAsync(name, "Claude Code, Bedrock mode", bedrockBase, "inference-profiles?type=SYSTEM_DEFINED", credential, scheme, doctorUrl, http, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private static async Task<DoctorCheck?> DesktopAsync(GeneratedArtifact artifact, ConfigFormat format, Uri doctorUrl, HttpClient http, CancellationToken cancellationToken)
    {
        var config = ManagedConfigReader.Read(artifact.Content.Span, format, artifact.RelativePath);
        string? Value(string key) => config.Entries.LastOrDefault(e => e.Key == key)?.Value;
        if (Value("inferenceGatewayBaseUrl") is not { } baseUrl)
        {
            return null;
        }

        var name = $"settings {artifact.RelativePath}";
        if (Value("inferenceGatewayApiKey") is not { } key)
        {
            // Signing in to the gateway itself (interactive without inferenceGatewayOidc, cowork3p-reference §6.3):
            // the app reads the gateway's RFC 8414 metadata and needs device_authorization_endpoint in it.
            if (Value("inferenceCredentialKind") == "interactive" && Value("inferenceGatewayOidc") is null)
            {
                return await AuthorizationServerAsync(name, baseUrl, doctorUrl, http, cancellationToken).ConfigureAwait(false);
            }

            return new DoctorCheck(name, DoctorStatus.Skipped, "Claude Desktop gets its gateway credential on the device (its IdP sign-in or credential helper); not checkable from here");
        }

        var scheme = Value("inferenceGatewayAuthScheme") == "x-api-key" ? "x-api-key" : "bearer";
        return await ProbeAsync(name, "Claude Desktop", baseUrl, "v1/models", key, scheme, doctorUrl, http, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The gateway base a generated file names, and a note when it is not the gateway the doctor was pointed at;
    /// a failed check when the URL is not one.
    /// </summary>
    private static DoctorCheck? Target(string name, string client, string baseUrl, Uri doctorUrl, out Uri target, out string elsewhere)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var configured))
        {
            (target, elsewhere) = (doctorUrl, string.Empty);
            return new DoctorCheck(name, DoctorStatus.Failed, $"{client}: base URL '{baseUrl}' is not a URL", "fix auth.gateway.baseUrl");
        }

        target = GatewayDoctor.BaseOf(configured);
        elsewhere = !string.Equals(target.GetLeftPart(UriPartial.Authority), doctorUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            ? $" (the settings point at {target.GetLeftPart(UriPartial.Authority)}, not the --url)"
            : string.Empty;
        return null;
    }

    /// <summary>The gateway-as-authorization-server check Claude Desktop makes before its device sign-in.</summary>
    private static async Task<DoctorCheck> AuthorizationServerAsync(string name, string baseUrl, Uri doctorUrl, HttpClient http, CancellationToken cancellationToken)
    {
        const string client = "Claude Desktop (signs in to the gateway)";
        if (Target(name, client, baseUrl, doctorUrl, out var target, out var elsewhere) is { } invalid)
        {
            return invalid;
        }

        var metadata = new Uri(target, ".well-known/oauth-authorization-server");
        try
        {
            using var response = await http.GetAsync(metadata, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return new DoctorCheck(name, DoctorStatus.Failed, $"{client}: {metadata} answered {(int)response.StatusCode}{elsewhere}; the app will say the server does not advertise device_authorization_endpoint",
                    "configure gateway.identity.oauth (docs/gateway-signin.md) on this gateway, or give the group another sign-in");
            }

            string? device = null;
            string? token = null;
            var signIn = string.Empty;
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    device = document.RootElement.TryGetProperty("device_authorization_endpoint", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                    token = document.RootElement.TryGetProperty("token_endpoint", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    if (document.RootElement.TryGetProperty(Basalt.Identity.OAuth.OAuthAuthority.SignInKindParameter, out var kind) && kind.ValueEquals(Basalt.Identity.OAuth.OAuthAuthority.IdentityCenterSignInKind))
                    {
                        // A Basalt gateway says where people sign in; IAM Identity Center is worth one word to the operator.
                        var portal = document.RootElement.TryGetProperty(Basalt.Identity.OAuth.OAuthAuthority.SignInServiceParameter, out var s) && s.ValueKind == JsonValueKind.String ? $" ({s.GetString()})" : string.Empty;
                        signIn = $"; people sign in through IAM Identity Center{portal}";
                    }
                }
            }
            catch (JsonException)
            {
            }

            return device is not null && token is not null
                ? new DoctorCheck(name, DoctorStatus.Ok, $"{client}: {metadata.AbsolutePath} advertises the device grant ({device}){signIn}{elsewhere}")
                : new DoctorCheck(name, DoctorStatus.Failed, $"{client}: {metadata} has no device_authorization_endpoint and token_endpoint{elsewhere}", "serve RFC 8414 metadata with the device grant (gateway.identity.oauth)");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new DoctorCheck(name, DoctorStatus.Failed, $"{client}: {metadata.GetLeftPart(UriPartial.Authority)} unreachable{elsewhere}: {GatewayDoctor.Reason(e)}");
        }
    }

    private static async Task<DoctorCheck> ProbeAsync(string name, string client, string baseUrl, string path, string credential, string scheme, Uri doctorUrl, HttpClient http, CancellationToken cancellationToken)
    {
        if (Target(name, client, baseUrl, doctorUrl, out var target, out var elsewhere) is { } invalid)
        {
            return invalid;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target, path));
            GatewayDoctor.Authorize(request, credential, scheme);
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return new DoctorCheck(name, DoctorStatus.Ok, $"{client}: its {scheme} credential is accepted at {target}{path.Split('?')[0]}{elsewhere}");
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            // Bedrock-format routes answer an unknown key with 403 (as AWS does), Anthropic-format ones with 401.
            return new DoctorCheck(name, DoctorStatus.Failed, $"{client}: {target}{path.Split('?')[0]} answered {(int)response.StatusCode}{elsewhere}: {GatewayDoctor.ErrorMessage(body)}",
                (int)response.StatusCode is 401 or 403 ? "the key in the deployment file is not one this gateway knows: update gateway.apiKeys (then SIGHUP) or the deployment file, and redeploy the settings" : null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new DoctorCheck(name, DoctorStatus.Failed, $"{client}: {target} unreachable{elsewhere}: {GatewayDoctor.Reason(e)}");
        }
    }
}
