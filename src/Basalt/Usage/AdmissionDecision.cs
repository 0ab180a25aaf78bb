namespace Basalt.Usage;

/// <summary>
/// Admitted (with a <see cref="Ticket"/>) or refused. A refusal carries everything the gateway needs to answer in
/// Anthropic's error shape: status (429), error type (<c>rate_limit_error</c>, or a billing-style type for budgets),
/// a message that says which limit, how much is used and when it resets, <c>retry-after</c>, and extra headers
/// (<c>anthropic-ratelimit-*</c>, <c>x-should-retry</c>). Soft-threshold warnings travel as headers on admission.
/// </summary>
public sealed record AdmissionDecision(
    bool Admitted,
    AdmissionTicket? Ticket,
    int StatusCode,
    string? ErrorType,
    string? Message,
    TimeSpan? RetryAfter,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public static AdmissionDecision Admit(AdmissionTicket ticket, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        new(true, ticket, 200, null, null, null, headers ?? []);

    public static AdmissionDecision Refuse(int statusCode, string errorType, string message, TimeSpan? retryAfter,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        new(false, null, statusCode, errorType, message, retryAfter, headers ?? []);
}
