namespace Basalt.Emulator.Faults;

/// <summary>
/// Carries a stream fault (exception frame, reset, stall) from the fault middleware to the Bedrock stream writer
/// through <c>HttpContext.Features</c>: these faults strike after some frames, so only the writer can apply them.
/// </summary>
internal sealed class StreamFaultFeature(FaultSpec spec)
{
    public FaultSpec Spec { get; } = spec;
}
