namespace Basalt.Emulator.Bedrock;

/// <summary>
/// An application inference profile (<c>arn:{partition}:bedrock:{region}:{account}:application-inference-profile/{Id}</c>)
/// that routes to <see cref="Source"/>: a foundation-model ID or a system inference-profile ID of a configured model.
/// </summary>
internal sealed record ApplicationProfileDefinition(string Id, string Name, string Source, string? Description);
