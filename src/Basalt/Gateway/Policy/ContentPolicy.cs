using System.Runtime.CompilerServices;
using Basalt.Gateway.Configuration;
using Basalt.Identity;
using Basalt.Policy;
using Basalt.Policy.Pii;

namespace Basalt.Gateway.Policy;

/// <summary>
/// The gateway's content policy (issue 12): for each caller, the combined policy of their groups, with scanners
/// built once per policy and shared. <see cref="Begin"/> gives the per-request state. The archive and audit
/// destinations are set by the host (they are net10.0 stores); without them archiving groups fail closed at start.
/// </summary>
public sealed class ContentPolicy
{
    private volatile IReadOnlyDictionary<string, GatewayGroup> _groups;
    private readonly ConditionalWeakTable<PiiPolicy, PiiScanner> _scanners = [];
    private readonly Lazy<PiiScanner> _secrets = new(PiiScanner.Secrets);

    public ContentPolicy(GatewayOptions options, IPolicyRecorder? recorder = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _groups = options.Groups;
        Recorder = recorder;
    }

    /// <summary>Audit events and archive writes; null when the gateway has neither configured.</summary>
    public IPolicyRecorder? Recorder { get; }

    public bool IsEmpty => _groups.Values.All(g => g.Policy.IsEmpty);

    /// <summary>
    /// Swaps in the group policies of a re-read configuration (issue 12 item 5: switchable without restart).
    /// Requests already running keep the policy they started with. Refused, leaving the running policy in place,
    /// when a group would start archiving but this gateway opened no archive (that needs a restart to open it).
    /// </summary>
    public (bool Applied, string Message) Reload(GatewayOptions next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var archiving = next.Groups.Values.Where(g => g.Policy.Archive).Select(g => g.Name).ToList();
        if (archiving.Count > 0 && Recorder is not { CanArchive: true })
        {
            return (false, $"not reloaded: group(s) {string.Join(", ", archiving)} now archive, but this gateway started without an archive; restart it to open one");
        }

        var changed = next.Groups.Values.Where(g => !_groups.TryGetValue(g.Name, out var old) || old.Policy != g.Policy).Select(g => g.Name).ToList();
        _groups = next.Groups;
        return (true, changed.Count == 0 ? "policies reloaded: no group's policy changed" : $"policies reloaded: {string.Join(", ", changed)} changed");
    }

    /// <summary>The state for one request of <paramref name="principal"/>.</summary>
    public RequestPolicy Begin(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var policies = new List<GroupPolicy>();
        var groups = _groups;
        foreach (var group in principal.Groups)
        {
            if (groups.TryGetValue(group, out var configured))
            {
                policies.Add(configured.Policy);
            }
        }

        var policy = GroupPolicy.Combine(policies);
        var session = policy.Pii is { } pii ? new PiiMaskingSession(pii, _scanners.GetValue(pii, PiiScanner.For)) : null;
        var secrets = policy.Pii is { ScanResponsesForSecrets: true } ? _secrets.Value : null;
        return new RequestPolicy(policy, session, secrets, Recorder);
    }
}
