namespace Basalt.Policy.Archive;

/// <summary>One archived request and its answer, as the gateway saw them (after masking: the archive never holds
/// more than the model saw). Decrypted only in memory, for a reader whose read is audited.</summary>
public sealed record ArchivedExchange(string RequestId, DateTimeOffset Time, string UserId, string Group, string Model, string Request, string Response);
