namespace Basalt.Credentials.Cli;

/// <summary>
/// What one run of <c>basalt-credential</c> (or <c>basalt credentials</c>) does. The names are the command
/// contract the generated artifacts already use (<c>credential_process = ... process --profile X</c>,
/// <c>awsCredentialExport = ... claude-code --profile X</c>, <c>awsAuthRefresh = ... login --profile X</c>) and the
/// no-argument run that Claude Desktop makes (cowork3p-reference §4).
/// </summary>
public enum CredentialVerb
{
    /// <summary>No arguments: the Claude Desktop helper output (bare Bedrock token or <c>{"token","headers"}</c>).</summary>
    Desktop = 0,

    /// <summary><c>process</c>: AWS <c>credential_process</c> Version 1 JSON.</summary>
    Process,

    /// <summary><c>claude-code</c>: Claude Code <c>awsCredentialExport</c> JSON.</summary>
    ClaudeCode,

    /// <summary><c>env</c>: shell statements exporting the credentials.</summary>
    Env,

    /// <summary><c>token</c>: the Bedrock bearer token alone.</summary>
    Token,

    /// <summary><c>gateway-token</c>: a presigned GetCallerIdentity token (<c>basalt-aws-v1.</c>) for a Basalt gateway.</summary>
    GatewayToken,

    /// <summary><c>gateway-oauth-token</c>: the gateway's own OAuth access token (a <c>gateway</c> profile, device grant).</summary>
    GatewayOAuthToken,

    /// <summary><c>login</c>: sign in again now, ignoring cached credentials.</summary>
    Login,

    /// <summary><c>explain</c>: the resolved settings and cache state, without any network call.</summary>
    Explain,

    /// <summary><c>clear-cache</c>: forget cached credentials.</summary>
    ClearCache,

    /// <summary><c>check-expiration</c>: exit 0 when cached credentials are valid beyond the refresh margin, 1 otherwise.</summary>
    CheckExpiration,

    /// <summary><c>check</c>: validate a settings file and print its diagnostics.</summary>
    Check,

    /// <summary><c>--help</c>.</summary>
    Help,

    /// <summary><c>--version</c>.</summary>
    Version,
}
