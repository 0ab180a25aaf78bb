namespace Basalt.Emulator.Faults;

/// <summary>The AWS services the emulator answers, named as in <c>faults.rules[].services</c>.</summary>
internal enum EmulatedService
{
    /// <summary>Not an emulated AWS API (e.g. <c>/_emulator/requests</c>); never faulted.</summary>
    None,

    /// <summary><c>bedrock-runtime</c>: invoke, invoke-with-response-stream, count-tokens.</summary>
    BedrockRuntime,

    /// <summary><c>bedrock</c>: the control plane (inference profiles, foundation models).</summary>
    Bedrock,

    /// <summary><c>sts</c>: awsQuery, XML errors.</summary>
    Sts,

    /// <summary><c>sso-oidc</c>: IAM Identity Center OIDC (client registration, device authorization, token).</summary>
    SsoOidc,

    /// <summary><c>sso</c>: the IAM Identity Center portal (role credentials, accounts, roles, logout).</summary>
    Sso,
}
