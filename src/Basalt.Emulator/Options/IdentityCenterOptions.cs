namespace Basalt.Emulator.Options;

/// <summary>IAM Identity Center (OIDC device authorization and the access portal) settings.</summary>
public sealed record IdentityCenterOptions
{
    /// <summary>The AWS access portal URL users configure as <c>sso_start_url</c>; informational.</summary>
    public string StartUrl { get; init; } = "https://d-9067example.awsapps.com/start";

    /// <summary>How long a device code stays valid (AWS: 10 minutes).</summary>
    public TimeSpan DeviceCodeLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Minimum time between CreateToken polls for one device code; faster polls get <c>slow_down</c> (RFC 8628 §3.5).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Lifetime of a RegisterClient registration (AWS: 90 days).</summary>
    public TimeSpan ClientRegistrationLifetime { get; init; } = TimeSpan.FromDays(90);
}
