using System.Text;
using Basalt.Identity;
using Basalt.Policy;
using Basalt.Policy.Pii;
using Basalt.Policy.Routing;

namespace Basalt.Gateway.Policy;

/// <summary>
/// One request's content policy: routing, masking (and refusing) the request, the guardrail headers for the
/// upstream call, the answer filter, and the audit/archive records when the request ends.
/// </summary>
public sealed class RequestPolicy
{
    private readonly PiiMaskingSession? _session;
    private readonly PiiScanner? _secrets;
    private readonly IPolicyRecorder? _recorder;
    private readonly Principal? _principal;
    private AnswerFilter? _answer;

    internal RequestPolicy(GroupPolicy policy, PiiMaskingSession? session, PiiScanner? secrets, IPolicyRecorder? recorder, Principal? principal = null)
    {
        _principal = principal;
        Policy = policy;
        _session = session;
        _secrets = secrets;
        _recorder = recorder;
    }

    /// <summary>The state of a request no policy applies to (shared: it holds nothing per request).</summary>
    internal static RequestPolicy None { get; } = new(GroupPolicy.None, null, null, null);

    public GroupPolicy Policy { get; }

    public bool IsEmpty => Policy.IsEmpty;

    /// <summary>The routing decision, once <see cref="Route"/> ran.</summary>
    public RoutingDecision? Routing { get; private set; }

    /// <summary>The rule that refused the request (a PII category or custom pattern name), if any.</summary>
    public string? BlockedBy => _session?.BlockedBy;

    public RoutingDecision Route(string requested, ReadOnlySpan<byte> body, Func<string, string> canonical)
    {
        Routing = Policy.Routing.Decide(requested, body, canonical);
        return Routing;
    }

    /// <summary>Masks the request body; null when nothing changed. Check <see cref="BlockedBy"/> after.</summary>
    public byte[]? Mask(ReadOnlySpan<byte> body) => _session is null ? null : PiiRequestRewriter.Rewrite(body, _session);

    /// <summary>What a refused request is told: the category, never the value (issue 12 item 2).</summary>
    public string BlockedMessage() =>
        $"this request contains {Describe(BlockedBy ?? "sensitive data")}, which your organization's policy does not allow to be sent to the model; remove it and try again";

    public IReadOnlyList<KeyValuePair<string, string>> UpstreamHeaders() => Policy.Guardrail is { } g ? [.. g.Headers()] : [];

    /// <summary>The answer filter, or null when nothing in the policy touches the answer.</summary>
    /// <param name="bedrockFormat">The client reads Bedrock's format: guardrail markers pass, text is still filtered.</param>
    internal AnswerFilter? Answer(bool bedrockFormat = false)
    {
        if (Policy.Pii is null && Policy.Guardrail is null && !Policy.Archive)
        {
            return null;
        }

        return _answer ??= new AnswerFilter(Policy.Pii is { RestoreInResponse: true } ? _session : null, _secrets, collectAnswer: Policy.Archive, anthropicRefusal: !bedrockFormat);
    }

    /// <summary>
    /// After the response: one audit event when anything fired (categories and counts, the routing rule, the
    /// guardrail), and the archive entry for archiving groups. Never prompt or answer text in the audit.
    /// </summary>
    public async Task CompleteAsync(string requestId, DateTimeOffset time, string model, ReadOnlyMemory<byte> requestBody, CancellationToken cancellationToken)
    {
        if (_recorder is null || _principal is null || IsEmpty)
        {
            return;
        }

        var userId = _principal.UserId;
        // An archive entry is filed under the caller's first group.
        var group = _principal.Groups.Count > 0 ? _principal.Groups[0] : string.Empty;

        var fields = new List<(string, object?)>();
        if (_session is { Findings.Count: > 0 })
        {
            fields.Add(("pii", string.Join(',', _session.Findings.Select(f => $"{f.Key}={f.Value}"))));
        }

        if (BlockedBy is not null)
        {
            fields.Add(("blockedBy", BlockedBy));
        }

        if (_answer is { SecretsMasked.Count: > 0 })
        {
            fields.Add(("answerSecrets", string.Join(',', _answer.SecretsMasked.Select(f => $"{f.Key}={f.Value}"))));
        }

        if (_answer is { GuardrailIntervened: true } && Policy.Guardrail is { } guardrail)
        {
            fields.Add(("guardrail", $"{guardrail.Identifier}:{guardrail.Version}"));
        }

        if (Routing is { Changed: true } routing)
        {
            fields.Add(("routedFrom", routing.Requested));
            fields.Add(("routedTo", routing.Served));
            fields.Add(("routingRule", routing.Rule));
        }

        if (fields.Count > 0)
        {
            fields.Insert(0, ("requestId", requestId));
            _recorder.Audit("policy.applied", userId, fields);
        }

        if (Policy.Archive && BlockedBy is null)
        {
            await _recorder.ArchiveAsync(requestId, time, userId, group, model, Encoding.UTF8.GetString(requestBody.Span), _answer?.Answer ?? string.Empty, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Describe(string rule) => rule switch
    {
        nameof(PiiCategory.Email) => "an email address",
        nameof(PiiCategory.Phone) => "a phone number",
        nameof(PiiCategory.PaymentCard) => "a payment card number",
        nameof(PiiCategory.Iban) => "a bank account number (IBAN)",
        nameof(PiiCategory.IpAddress) => "an IP address",
        nameof(PiiCategory.AwsAccessKey) => "an AWS access key",
        nameof(PiiCategory.AwsSecretKey) => "an AWS secret access key",
        nameof(PiiCategory.AnthropicKey) => "an Anthropic API key",
        nameof(PiiCategory.GitHubToken) => "a GitHub token",
        nameof(PiiCategory.PrivateKey) => "a private key",
        _ when rule.StartsWith("NationalId", StringComparison.Ordinal) => "a national identity number",
        _ => $"data matching the '{rule}' pattern",
    };
}
