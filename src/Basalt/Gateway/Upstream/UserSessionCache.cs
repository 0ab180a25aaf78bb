using System.Collections.Concurrent;
using System.Text;
using Amazon.SecurityToken.Model;
using Basalt.Aws;
using Basalt.Credentials;
using Basalt.Gateway.Configuration;
using Basalt.Identity;

namespace Basalt.Gateway.Upstream;

/// <summary>
/// Per-user AWS sessions (issue 8 item 7, gateway.md §2 "IAM principal-based cost allocation"): for each user an
/// <c>sts:AssumeRole</c> session whose <c>RoleSessionName</c> is the sanitized user id and whose session tags carry
/// user, groups and cost centre, so CloudTrail and CUR's <c>line_item_iam_principal</c> name the person. Sessions
/// are cached per user and renewed <see cref="RefreshMargin"/> before expiry, with one refresh in flight per user
/// (concurrent requests of the same user share it).
/// </summary>
internal sealed class UserSessionCache
{
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly GatewayAssumeRole _role;
    private readonly string _region;
    private readonly Func<CancellationToken, ValueTask<AwsCredentials>> _gatewayCredentials;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);

    public UserSessionCache(GatewayAssumeRole role, string region, Func<CancellationToken, ValueTask<AwsCredentials>> gatewayCredentials, TimeProvider time)
    {
        _role = role;
        _region = region;
        _gatewayCredentials = gatewayCredentials;
        _time = time;
    }

    /// <summary>STS calls made so far (for tests and metrics).</summary>
    public int AssumeRoleCalls => _calls;

    private int _calls;

    public async ValueTask<AwsCredentials> GetAsync(Principal principal, CancellationToken cancellationToken)
    {
        var entry = _sessions.GetOrAdd(principal.UserId, static _ => new Entry());
        Task<AwsCredentials> pending;
        lock (entry)
        {
            if (entry.Current is { } current && !current.ExpiresWithin(RefreshMargin, _time.GetUtcNow()))
            {
                return current;
            }

            // One refresh in flight per user: later callers await the same task.
            entry.Refresh ??= RefreshAsync(entry, principal);
            pending = entry.Refresh;
        }

        return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AwsCredentials> RefreshAsync(Entry entry, Principal principal)
    {
        try
        {
            await Task.Yield();
            Interlocked.Increment(ref _calls);
            var gateway = await _gatewayCredentials(CancellationToken.None).ConfigureAwait(false);
            var factory = new AwsClientFactory(new AwsServiceEndpoints(Sts: _role.StsEndpoint));
            using var sts = factory.CreateSts(gateway, _region);
            var request = new AssumeRoleRequest
            {
                RoleArn = _role.RoleArn,
                RoleSessionName = SessionName(principal.UserId),
                DurationSeconds = (int)_role.Duration.TotalSeconds,
                ExternalId = _role.ExternalId,
                Tags = Tags(principal),
            };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var response = await sts.AssumeRoleAsync(request, timeout.Token).ConfigureAwait(false);
            var c = response.Credentials;
            var credentials = new AwsCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, c.Expiration is { } e ? new DateTimeOffset(DateTime.SpecifyKind(e, DateTimeKind.Utc)) : null);
            lock (entry)
            {
                entry.Current = credentials;
                entry.Refresh = null;
            }

            return credentials;
        }
        catch
        {
            lock (entry)
            {
                entry.Refresh = null;
            }

            throw;
        }
    }

    /// <summary>
    /// <c>RoleSessionName</c> allows 2–64 characters of <c>[\w+=,.@-]</c>; anything else becomes <c>-</c>, so the
    /// same user always gets the same, readable session name.
    /// </summary>
    public static string SessionName(string userId)
    {
        var builder = new StringBuilder(Math.Min(64, Math.Max(2, userId.Length)));
        foreach (var ch in userId)
        {
            if (builder.Length == 64)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '+' or '=' or ',' or '.' or '@' or '-' ? ch : '-');
        }

        while (builder.Length < 2)
        {
            builder.Append('-');
        }

        return builder.ToString();
    }

    /// <summary>
    /// Session tags (keys ≤ 128, values ≤ 256 characters of letters, digits, spaces and <c>_.:/=+-@</c>). Groups
    /// are joined with <c>:</c> because a tag key may appear only once.
    /// </summary>
    public static List<Tag> Tags(Principal principal)
    {
        var tags = new List<Tag> { new() { Key = "basalt:user", Value = TagValue(principal.UserId) } };
        if (principal.Groups.Count > 0)
        {
            tags.Add(new Tag { Key = "basalt:groups", Value = TagValue(string.Join(':', principal.Groups)) });
        }

        if (!string.IsNullOrEmpty(principal.CostCentre))
        {
            tags.Add(new Tag { Key = "basalt:cost-centre", Value = TagValue(principal.CostCentre) });
        }

        return tags;
    }

    private static string TagValue(string value)
    {
        var builder = new StringBuilder(Math.Min(256, value.Length));
        foreach (var ch in value)
        {
            if (builder.Length == 256)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(ch) || ch is ' ' or '_' or '.' or ':' or '/' or '=' or '+' or '-' or '@' ? ch : '_');
        }

        return builder.ToString();
    }

    private sealed class Entry
    {
        public AwsCredentials? Current { get; set; }

        public Task<AwsCredentials>? Refresh { get; set; }
    }
}
