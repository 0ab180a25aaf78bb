namespace Basalt.Usage;

/// <summary>
/// Held by the gateway while an admitted request runs. <see cref="CompleteAsync"/> is called exactly once with
/// the metered usage (or <c>null</c> when nothing was metered) and releases whatever the admission reserved.
/// </summary>
public abstract class AdmissionTicket
{
    /// <summary>A ticket that reserves nothing (the default allow-all policy).</summary>
    public static AdmissionTicket None { get; } = new NoneTicket();

    public abstract ValueTask CompleteAsync(UsageEvent? usage, CancellationToken cancellationToken);

    private sealed class NoneTicket : AdmissionTicket
    {
        public override ValueTask CompleteAsync(UsageEvent? usage, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
