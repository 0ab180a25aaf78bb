namespace Basalt.Gateway.Routing;

/// <summary>The Bedrock runtime operations the gateway calls (bedrock-and-clients §1).</summary>
internal enum UpstreamOperation
{
    Invoke,
    InvokeStream,
    CountTokens,
}
