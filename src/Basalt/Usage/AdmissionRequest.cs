using Basalt.Identity;

namespace Basalt.Usage;

/// <param name="ModelClientId">Catalogue client id of the model to be served (after routing), when known.</param>
/// <param name="EstimatedInputTokens">Estimate from the request body (no upstream call).</param>
/// <param name="MaxOutputTokens">The request's <c>max_tokens</c>: the worst case for a cost estimate.</param>
public sealed record AdmissionRequest(
    Principal Principal,
    string RequestId,
    string ModelRequested,
    string? ModelClientId,
    long EstimatedInputTokens,
    long MaxOutputTokens,
    bool Streaming);
