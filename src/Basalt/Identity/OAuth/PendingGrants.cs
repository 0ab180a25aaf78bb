using System.Collections.Concurrent;

namespace Basalt.Identity.OAuth;

/// <summary>
/// The short-lived state of sign-ins in progress (device codes, sign-ins at the IdP, authorization codes), held in
/// memory: each lives minutes and is single use, so a restart only asks people to start again. Expired entries are
/// swept on every insertion, and the number pending is bounded so a flood of device requests cannot grow memory.
/// A replicated gateway needs the device and callback requests of one sign-in on the same replica (sticky sessions).
/// </summary>
internal sealed class PendingGrants(TimeProvider time)
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, DeviceGrant> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeviceGrant> _userCodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignIn> _signIns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);

    public bool TryAddDevice(DeviceGrant grant)
    {
        Sweep();
        if (_devices.Count >= Capacity || !_userCodes.TryAdd(grant.UserCode, grant))
        {
            return false;
        }

        _devices[grant.DeviceCode] = grant;
        return true;
    }

    public DeviceGrant? Device(string deviceCode) => _devices.TryGetValue(deviceCode, out var grant) ? grant : null;

    public DeviceGrant? ByUserCode(string userCode) => _userCodes.TryGetValue(userCode, out var grant) && grant.ExpiresAt > time.GetUtcNow() ? grant : null;

    /// <summary>Ends a device grant (redeemed, denied and told, or expired and told): the device code never works again.</summary>
    public bool RemoveDevice(DeviceGrant grant)
    {
        _userCodes.TryRemove(new KeyValuePair<string, DeviceGrant>(grant.UserCode, grant));
        return _devices.TryRemove(new KeyValuePair<string, DeviceGrant>(grant.DeviceCode, grant));
    }

    public bool TryAddSignIn(SignIn signIn)
    {
        Sweep();
        return _signIns.Count < Capacity && _signIns.TryAdd(signIn.State, signIn);
    }

    /// <summary>The sign-in with this <c>state</c>, removed: a callback is answered once.</summary>
    public SignIn? TakeSignIn(string state) => _signIns.TryRemove(state, out var signIn) && signIn.ExpiresAt > time.GetUtcNow() ? signIn : null;

    public bool TryAddCode(AuthorizationCode code)
    {
        Sweep();
        return _codes.Count < Capacity && _codes.TryAdd(code.Code, code);
    }

    /// <summary>The authorization code, removed whatever happens next: a code is used once (RFC 6749 §4.1.2).</summary>
    public AuthorizationCode? TakeCode(string code) => _codes.TryRemove(code, out var grant) ? grant : null;

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, grant) in _devices)
        {
            // Kept a little past expiry so a poll after it is told expired_token rather than invalid_grant.
            if (grant.ExpiresAt + TimeSpan.FromMinutes(5) <= now)
            {
                RemoveDevice(grant);
            }
        }

        foreach (var (key, signIn) in _signIns)
        {
            if (signIn.ExpiresAt <= now)
            {
                _signIns.TryRemove(key, out _);
            }
        }

        foreach (var (key, code) in _codes)
        {
            if (code.ExpiresAt <= now)
            {
                _codes.TryRemove(key, out _);
            }
        }
    }

    internal enum DeviceState
    {
        Pending,
        Approved,
        Denied,
    }

    /// <summary>One RFC 8628 device authorization. Mutable under its own lock.</summary>
    internal sealed class DeviceGrant(string deviceCode, string userCode, string clientId, string scope, DateTimeOffset expiresAt, TimeSpan interval)
    {
        public Lock Gate { get; } = new();

        public string DeviceCode => deviceCode;

        public string UserCode => userCode;

        public string ClientId => clientId;

        public string Scope => scope;

        public DateTimeOffset ExpiresAt => expiresAt;

        public TimeSpan Interval { get; set; } = interval;

        public DateTimeOffset? LastPoll { get; set; }

        public DeviceState State { get; set; }

        public Principal? Principal { get; set; }
    }

    /// <summary>A person on their way to the IdP, for a device grant or for a client's authorization request.</summary>
    internal sealed record SignIn(string State, string Nonce, string Verifier, DateTimeOffset ExpiresAt, DeviceGrant? Device, ClientRequest? Client);

    /// <summary>A client's authorization request (RFC 6749 §4.1.1 with RFC 7636 §4.3), waiting for the IdP.</summary>
    internal sealed record ClientRequest(string ClientId, string RedirectUri, string? State, string CodeChallenge, string Scope);

    internal sealed record AuthorizationCode(string Code, ClientRequest Request, Principal Principal, DateTimeOffset ExpiresAt);
}
