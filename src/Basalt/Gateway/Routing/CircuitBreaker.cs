namespace Basalt.Gateway.Routing;

/// <summary>
/// A per-upstream circuit breaker (issue 8 item 6): after <c>threshold</c> consecutive failures it opens and the
/// upstream is skipped until the open period ends; then exactly one half-open probe is let through, whose outcome
/// closes or re-opens it. So a dead region costs <c>threshold</c> failed calls, not one per request.
/// A <c>Retry-After</c> longer than the gateway waits opens it for that long at once (the upstream asked for it).
/// <para>
/// Written here rather than with Polly's breaker because the router must ask "is this upstream available?" before
/// choosing among several and report states in <c>/readyz</c>; Polly's breaker decides inside an execution and
/// throws <c>BrokenCircuitException</c>, which fits one pipeline per call, not a choice among routes.
/// </para>
/// </summary>
public sealed class CircuitBreaker
{
    private readonly object _gate = new();
    private readonly int _threshold;
    private readonly TimeSpan _openDuration;
    private readonly TimeProvider _time;
    private int _failures;
    private DateTimeOffset _openUntil;
    private bool _open;
    private bool _probeInFlight;

    public CircuitBreaker(int threshold, TimeSpan openDuration, TimeProvider time)
    {
        _threshold = threshold;
        _openDuration = openDuration;
        _time = time;
    }

    public BreakerState State
    {
        get
        {
            lock (_gate)
            {
                return !_open ? BreakerState.Closed : _time.GetUtcNow() < _openUntil && !_probeInFlight ? BreakerState.Open : BreakerState.HalfOpen;
            }
        }
    }

    /// <summary>True when a call may go to this upstream now; a half-open breaker admits one probe at a time.</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (!_open)
            {
                return true;
            }

            if (_time.GetUtcNow() < _openUntil || _probeInFlight)
            {
                return false;
            }

            _probeInFlight = true;
            return true;
        }
    }

    public void RecordSuccess()
    {
        lock (_gate)
        {
            _failures = 0;
            _open = false;
            _probeInFlight = false;
        }
    }

    public void RecordFailure(TimeSpan? coolDown = null)
    {
        lock (_gate)
        {
            _failures++;
            TimeSpan? period = null;
            if (_probeInFlight || _failures >= _threshold)
            {
                period = coolDown is { } c && c > _openDuration ? c : _openDuration;
            }
            else if (coolDown is { } asked)
            {
                period = asked;
            }

            if (period is { } p)
            {
                _open = true;
                _openUntil = _time.GetUtcNow() + p;
            }

            _probeInFlight = false;
        }
    }

    /// <summary>Gives back a probe that ended without a verdict (the caller left before the upstream answered).</summary>
    public void Release()
    {
        lock (_gate)
        {
            _probeInFlight = false;
        }
    }
}
