using Basalt.Diagnostics;

namespace Basalt.Gateway.Configuration;

/// <summary>The outcome of reading a gateway configuration: options when there is no error, and every diagnostic.</summary>
public sealed record GatewayConfigResult(GatewayOptions? Options, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Options is null;
}
