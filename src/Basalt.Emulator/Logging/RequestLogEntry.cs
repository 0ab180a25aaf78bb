namespace Basalt.Emulator.Logging;

/// <summary>
/// One call the emulator answered, like a CloudTrail event: when, who (<see cref="PrincipalArn"/> is null when
/// the caller could not be identified), which service and operation, and the outcome (<c>Success</c> or the
/// AWS error code returned).
/// </summary>
public sealed record RequestLogEntry(
    DateTimeOffset Time,
    string? PrincipalArn,
    string? AccountId,
    string Service,
    string Operation,
    string Outcome,
    int StatusCode,
    string RequestId)
{
    public const string SuccessOutcome = "Success";

    /// <summary>The model a Bedrock runtime call named, as sent (CloudTrail's <c>requestParameters.modelId</c>).</summary>
    public string? ModelId { get; init; }

    /// <summary>The error message returned, for calls that failed with one.</summary>
    public string? Message { get; init; }

    /// <summary>Tokens the emulator billed for a model call (its answer's <c>usage</c>), so usage tests can count against the upstream's own figures.</summary>
    public long? InputTokens { get; init; }

    public long? OutputTokens { get; init; }

    public bool Succeeded => Outcome == SuccessOutcome;
}
