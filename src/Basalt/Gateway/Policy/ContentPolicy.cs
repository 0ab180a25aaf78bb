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
    private readonly GatewayOptions _options;
    private readonly ConditionalWeakTable<PiiPolicy, PiiScanner> _scanners = [];
    private readonly Lazy<PiiScanner> _secrets = new(PiiScanner.Secrets);

    public ContentPolicy(GatewayOptions options, IPolicyRecorder? recorder = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Recorder = recorder;
    }

    /// <summary>Audit events and archive writes; null when the gateway has neither configured.</summary>
    public IPolicyRecorder? Recorder { get; }

    public bool IsEmpty => _options.Groups.Values.All(g => g.Policy.IsEmpty);

    /// <summary>The state for one request of <paramref name="principal"/>.</summary>
    public RequestPolicy Begin(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var policies = new List<GroupPolicy>();
        foreach (var group in principal.Groups)
        {
            if (_options.Groups.TryGetValue(group, out var configured))
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
