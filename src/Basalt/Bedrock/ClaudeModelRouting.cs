namespace Basalt.Bedrock;

/// <summary>How a discovered Claude option routes requests, in the order discovery prefers them.</summary>
public enum ClaudeModelRouting
{
    /// <summary>A geographic system profile (<c>us.</c>, <c>eu.</c>, <c>apac.</c>…): data stays in the geography.</summary>
    Geographic,

    /// <summary>A <c>global.</c> profile: routed anywhere in the partition, cheaper for newer models.</summary>
    Global,

    /// <summary>The foundation model itself, on demand in the region.</summary>
    InRegion,

    /// <summary>An application inference profile (ARN) that an administrator created.</summary>
    Application,
}
