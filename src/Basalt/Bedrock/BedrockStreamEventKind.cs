namespace Basalt.Bedrock;

public enum BedrockStreamEventKind
{
    /// <summary>A <c>chunk</c> event carrying one Anthropic stream event.</summary>
    Chunk,

    /// <summary>An exception frame (<c>:message-type</c> exception or error), e.g. <c>throttlingException</c>.</summary>
    Exception,

    /// <summary>Any other event type, passed through untouched.</summary>
    Other,
}
