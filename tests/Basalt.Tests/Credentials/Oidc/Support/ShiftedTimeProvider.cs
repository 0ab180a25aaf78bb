namespace Basalt.Tests.Credentials.Oidc.Support;

/// <summary>The real clock moved by a fixed offset: a laptop whose clock is wrong.</summary>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
