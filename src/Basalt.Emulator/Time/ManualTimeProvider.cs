namespace Basalt.Emulator.Time;

/// <summary>
/// A clock that only moves when told to, so tests can expire sessions, device codes and tokens without waiting.
/// Starts at the real current time (clients sign requests with their own clock; a far-off start would look
/// like clock skew). Timers (inherited) still run on real time: the emulator only reads the time.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now;

    public ManualTimeProvider()
        : this(TimeProvider.System.GetUtcNow())
    {
    }

    public ManualTimeProvider(DateTimeOffset start)
    {
        _now = start.ToUniversalTime();
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_gate)
        {
            _now += by;
        }
    }

    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_gate)
        {
            _now = value.ToUniversalTime();
        }
    }
}
