namespace Basalt.Emulator.Bedrock;

/// <summary>
/// A system-defined (cross-region) or application inference profile as the control plane lists it
/// (bedrock-and-clients §2) and as the runtime resolves it to a model.
/// </summary>
internal sealed record InferenceProfile(
    string Id,
    string Name,
    string Arn,
    string Type,
    string Description,
    BedrockModelDefinition Model,
    IReadOnlyList<string> ModelArns)
{
    public const string SystemDefined = "SYSTEM_DEFINED";
    public const string Application = "APPLICATION";
}
