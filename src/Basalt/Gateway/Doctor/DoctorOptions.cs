namespace Basalt.Gateway.Doctor;

/// <summary>What <c>basalt gateway doctor</c> checks and with which credential.</summary>
public sealed record DoctorOptions
{
    /// <summary>The gateway's base URL as devices reach it (http or https, with or without <c>/v1</c>).</summary>
    public required Uri Url { get; init; }

    /// <summary>A gateway key for the metadata endpoints and one test request per model; null skips those checks.</summary>
    public string? Key { get; init; }

    /// <summary>A deployment file: the Claude Code and Claude Desktop settings <c>deploy generate</c> writes from it
    /// are checked to authenticate against the gateway.</summary>
    public string? DeploymentFile { get; init; }

    /// <summary>A PEM file of extra trusted roots (a private CA) for the TLS check and every request.</summary>
    public string? CaFile { get; init; }

    /// <summary>Only <c>/healthz</c> (a container's HEALTHCHECK): no TLS details, no requests that cost tokens.</summary>
    public bool HealthOnly { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Clock difference (server <c>Date</c> header vs this machine) reported as a warning and as a failure.
    /// SigV4 and STS reject requests signed more than 5 minutes off, so the failure threshold stays below that.</summary>
    public TimeSpan ClockWarning { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ClockFailure { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Certificates expiring within this are a warning.</summary>
    public TimeSpan ExpiryWarning { get; init; } = TimeSpan.FromDays(14);
}
