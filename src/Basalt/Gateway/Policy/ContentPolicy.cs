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
    // The group policies and whether any is set, swapped together on reload.
    private volatile Snapshot _current;
    private readonly ConditionalWeakTable<PiiPolicy, PiiScanner> _scanners = [];
    private readonly Lazy<PiiScanner> _secrets = new(PiiScanner.Secrets);

    public ContentPolicy(GatewayOptions options, IPolicyRecorder? recorder = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _current = new Snapshot(options.Groups);
        Recorder = recorder;
    }

    /// <summary>The groups with the policies in force now (after any reload), for the admin dashboard.</summary>
    public IReadOnlyDictionary<string, GatewayGroup> Groups => _current.Groups;

    /// <summary>Audit events and archive writes; null when the gateway has neither configured.</summary>
    public IPolicyRecorder? Recorder { get; }

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

        var groups = _current.Groups;
        var changed = next.Groups.Values.Where(g => !groups.TryGetValue(g.Name, out var old) || old.Policy != g.Policy).Select(g => g.Name).ToList();
        _current = new Snapshot(next.Groups);
        return (true, changed.Count == 0 ? "policies reloaded: no group's policy changed" : $"policies reloaded: {string.Join(", ", changed)} changed");
    }

    /// <summary>The state for one request of <paramref name="principal"/>.</summary>
    public RequestPolicy Begin(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var current = _current;
        if (!current.AnyPolicy)
        {
            // Every request passes here: without any group policy it costs nothing (no lists, no combine).
            return RequestPolicy.None;
        }

        var policies = new List<GroupPolicy>();
        foreach (var group in principal.Groups)
        {
            if (current.Groups.TryGetValue(group, out var configured))
            {
                policies.Add(configured.Policy);
            }
        }

        var policy = GroupPolicy.Combine(policies);
        var session = policy.Pii is { } pii ? new PiiMaskingSession(pii, _scanners.GetValue(pii, PiiScanner.For)) : null;
        var secrets = policy.Pii is { ScanResponsesForSecrets: true } ? _secrets.Value : null;
        return new RequestPolicy(policy, session, secrets, Recorder, principal);
    }

    private sealed class Snapshot(IReadOnlyDictionary<string, GatewayGroup> groups)
    {
        public IReadOnlyDictionary<string, GatewayGroup> Groups { get; } = groups;

        public bool AnyPolicy { get; } = groups.Values.Any(g => !g.Policy.IsEmpty);
    }
}
