namespace Basalt.Gateway.Configuration;

/// <summary>
/// Per-user sessions (issue 8 item 7): <c>sts:AssumeRole</c> on <see cref="RoleArn"/> with the user's sanitized id as
/// <c>RoleSessionName</c> and session tags for user, groups and cost centre. <see cref="StsEndpoint"/> overrides
/// the regional STS endpoint (the emulator).
/// </summary>
public sealed record GatewayAssumeRole(string RoleArn, string? ExternalId, TimeSpan Duration, Uri? StsEndpoint);
