namespace Basalt.Gateway.Configuration;

/// <summary>
/// One Bedrock account/region the gateway calls (issue 8 items 6–7): the region, an optional endpoint override
/// (PrivateLink, the emulator), the gateway's own credentials, and optionally the role assumed per user so each
/// call is made as the person who asked (gateway.md §2, IAM principal-based cost allocation).
/// </summary>
public sealed record GatewayUpstream(string Name, string Region, Uri? Endpoint, Uri? ControlPlaneEndpoint, GatewayCredentials Credentials, GatewayAssumeRole? AssumeRole);
