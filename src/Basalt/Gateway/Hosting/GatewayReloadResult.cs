using Basalt.Diagnostics;

namespace Basalt.Gateway.Hosting;

/// <summary>
/// What one configuration reload did (issue 11 item 2): applied or rejected, when, and a one-line message that
/// names what was swapped in, what needs a restart, or why nothing changed (the first located diagnostic).
/// </summary>
public sealed record GatewayReloadResult(bool Applied, DateTimeOffset At, string Message)
{
    /// <summary>The configuration's errors when it was rejected for them (file:line:column diagnostics).</summary>
    public IReadOnlyList<Diagnostic> Errors { get; init; } = [];

    /// <summary>Changed parts that only a restart applies (they keep their running values).</summary>
    public IReadOnlyList<string> NeedRestart { get; init; } = [];
}
