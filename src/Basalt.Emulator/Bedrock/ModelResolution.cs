namespace Basalt.Emulator.Bedrock;

/// <summary>The outcome of resolving a runtime <c>{modelId}</c>: the model that answers, or the error Bedrock gives.</summary>
internal sealed record ModelResolution(BedrockModelDefinition? Model, BedrockError? Error)
{
    public static ModelResolution Of(BedrockModelDefinition model) => new(model, null);

    public static ModelResolution Fail(BedrockError error) => new(null, error);
}
