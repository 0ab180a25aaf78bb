namespace Basalt.Emulator.IdentityCenter;

/// <summary>
/// One StartDeviceAuthorization (RFC 8628): the codes, its lifetime and polling state. Mutated only under the
/// store's lock.
/// </summary>
internal sealed class DeviceAuthorization(string deviceCode, string userCode, string clientId, string? startUrl, DateTimeOffset createdAt, DateTimeOffset expiresAt, TimeSpan interval)
{
    public string DeviceCode { get; } = deviceCode;

    public string UserCode { get; } = userCode;

    public string ClientId { get; } = clientId;

    public string? StartUrl { get; } = startUrl;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public TimeSpan Interval { get; } = interval;

    public DeviceAuthorizationState State { get; set; }

    /// <summary>The Identity Center user who approved or denied the sign-in.</summary>
    public string? UserName { get; set; }

    public DateTimeOffset? LastPollAt { get; set; }

    public int Polls { get; set; }

    public int SlowDowns { get; set; }

    public override string ToString() => $"DeviceAuthorization {{ UserCode = {UserCode}, State = {State}, Polls = {Polls} }}";
}
