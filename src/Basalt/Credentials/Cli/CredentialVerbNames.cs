namespace Basalt.Credentials.Cli;

/// <summary>
/// The credential helper's command words, in one place: the NativeAOT helper's parser and usage
/// (<see cref="CredentialCommandLine"/>), <c>basalt credentials</c>' subcommands, and the command lines the
/// deployment generator writes into AWS config (<c>credential_process = … process --profile X</c>) and Claude Code
/// settings (<c>awsAuthRefresh = … login --profile X</c>). Renaming a verb here renames it everywhere, so a generated
/// artifact can never call a verb the helper does not know.
/// </summary>
public static class CredentialVerbNames
{
    public const string Desktop = "desktop";
    public const string Process = "process";
    public const string ClaudeCode = "claude-code";
    public const string Env = "env";
    public const string Token = "token";
    public const string GatewayToken = "gateway-token";
    public const string GatewayOAuthToken = "gateway-oauth-token";
    public const string Login = "login";
    public const string Explain = "explain";
    public const string ClearCache = "clear-cache";
    public const string CheckExpiration = "check-expiration";
    public const string Check = "check";

    /// <summary>The AWS guidance helper's name for <see cref="Process"/> (seed 003), accepted for compatibility.</summary>
    public const string CredentialProcessAlias = "credential-process";

    /// <summary>
    /// Every verb a user can type, in the order help lists them, with what it prints. <c>AlsoAsFlag</c>: the AWS
    /// guidance's helper (seed 003) wrote these as flags (<c>--login</c>), so the helper accepts that form too.
    /// </summary>
    public static IReadOnlyList<(string Name, CredentialVerb Verb, bool AlsoAsFlag, string Summary)> All { get; } =
    [
        (Desktop, CredentialVerb.Desktop, false, "Claude Desktop inferenceCredentialHelper output: the Bedrock bearer token, or {\"token\",\"headers\"} JSON. Honours CLAUDE_HELPER_CONTEXT."),
        (Process, CredentialVerb.Process, true, "AWS credential_process JSON (Version 1)."),
        (ClaudeCode, CredentialVerb.ClaudeCode, false, "Claude Code awsCredentialExport JSON."),
        (Env, CredentialVerb.Env, false, "Shell statements exporting the credentials (AWS_ACCESS_KEY_ID, ..., AWS_REGION, AWS_BEARER_TOKEN_BEDROCK)."),
        (Token, CredentialVerb.Token, false, "The Bedrock bearer token alone."),
        (GatewayToken, CredentialVerb.GatewayToken, false, "A token proving this AWS identity to a Basalt gateway (presigned sts:GetCallerIdentity, basalt-aws-v1.), alone on stdout: Claude Code apiKeyHelper and Claude Desktop inferenceCredentialHelper output."),
        (GatewayOAuthToken, CredentialVerb.GatewayOAuthToken, false, "The Basalt gateway's own access token for a 'gateway' profile (signs in with the device grant once, then refreshes silently), alone on stdout: Claude Code apiKeyHelper and Claude Desktop inferenceCredentialHelper output."),
        (Login, CredentialVerb.Login, true, "Sign in now, even when cached credentials are still valid."),
        (Explain, CredentialVerb.Explain, true, "Show the settings file, profile, source, endpoints and cache state; no network."),
        (ClearCache, CredentialVerb.ClearCache, true, "Forget cached credentials (all profiles unless --profile is given)."),
        (CheckExpiration, CredentialVerb.CheckExpiration, true, "Exit 0 when cached credentials are valid beyond the refresh margin, 1 otherwise; no network."),
        (Check, CredentialVerb.Check, false, "Validate a basalt-credential.json settings file and print its diagnostics."),
    ];

    /// <summary>The word for <paramref name="verb"/>, e.g. <c>process</c>.</summary>
    public static string NameOf(CredentialVerb verb)
    {
        foreach (var entry in All)
        {
            if (entry.Verb == verb)
            {
                return entry.Name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(verb), verb, "not a command word (help and version are options)");
    }

    /// <summary>Finds a typed word (including <c>credential-process</c>, <c>help</c> and <c>version</c>); <paramref name="asFlag"/> when it was written <c>--word</c>.</summary>
    public static bool TryParse(string word, bool asFlag, out CredentialVerb verb)
    {
        foreach (var entry in All)
        {
            if (string.Equals(entry.Name, word, StringComparison.Ordinal))
            {
                verb = entry.Verb;
                return !asFlag || entry.AlsoAsFlag;
            }
        }

        verb = word switch
        {
            CredentialProcessAlias => CredentialVerb.Process,
            "help" => CredentialVerb.Help,
            "version" => CredentialVerb.Version,
            _ => CredentialVerb.Desktop,
        };
        return word is CredentialProcessAlias || (!asFlag && word is "help" or "version");
    }
}
