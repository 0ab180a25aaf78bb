using Basalt.Identity.Jwt;
namespace Basalt.Credentials.Oidc;

/// <summary>
/// The machine around an <see cref="OidcCredentialSource"/>: HTTP, clock, environment variables, time limits.
/// Production uses the defaults; tests pass their own (a moved clock, an environment without SSH, short timeouts)
/// instead of mutating process-wide state.
/// </summary>
internal sealed class OidcRuntime
{
    public HttpClient? HttpClient { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Per HTTP request; the silent path makes at most a handful, and must finish well under 20 s (cowork3p-reference §4).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long an interactive sign-in may wait for the user.</summary>
    public TimeSpan SignInTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan ClockSkew { get; init; } = JwtExpectations.DefaultClockSkew;

    /// <summary>A cached ID token is reused for STS only when it is valid for at least this long.</summary>
    public TimeSpan MinimumIdTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public OidcMetadataCache? MetadataCache { get; init; }

    public static OidcRuntime Default { get; } = new();
}
