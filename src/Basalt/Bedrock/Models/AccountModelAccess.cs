namespace Basalt.Bedrock.Models;

/// <summary>
/// What one AWS account can call in one region, as <c>basalt models sync</c> read it from ListFoundationModels
/// and ListInferenceProfiles. Kept in a catalogue override file under <c>account</c> so validation can warn about
/// a configured model the account cannot call.
/// </summary>
public sealed record AccountModelAccess(
    string? AccountId,
    string? Region,
    DateTimeOffset? SyncedAt,
    IReadOnlySet<string> FoundationModelIds,
    IReadOnlySet<string> InferenceProfileIds)
{
    /// <summary>True when the account lists <paramref name="bedrockId"/> (a foundation id or a system/application profile id).</summary>
    public bool CanCall(string bedrockId)
    {
        ArgumentNullException.ThrowIfNull(bedrockId);
        if (!BedrockModelId.TryParse(bedrockId, out var id))
        {
            return false;
        }

        return id.Kind switch
        {
            BedrockModelIdKind.FoundationModel or BedrockModelIdKind.FoundationModelArn => FoundationModelIds.Contains(id.FoundationModelId!),
            BedrockModelIdKind.SystemInferenceProfile => InferenceProfileIds.Contains(bedrockId),
            BedrockModelIdKind.SystemInferenceProfileArn or BedrockModelIdKind.ApplicationInferenceProfileArn
                => InferenceProfileIds.Contains(id.ResourceId ?? bedrockId) || InferenceProfileIds.Contains(bedrockId),
            _ => true,
        };
    }
}
