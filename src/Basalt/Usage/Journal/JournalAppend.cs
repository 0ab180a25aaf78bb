using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using Basalt.Usage.Records;

namespace Basalt.Usage.Journal;

/// <summary>
/// One append waiting for its group commit: a reusable completion source (returned to the journal's pool once
/// its waiter has read the result), so an append allocates no task. Its continuation runs inline where it is
/// completed: on a pool worker for a commit (<c>UsageJournal.Release</c>); a failure, completed on the journal's thread,
/// is handed to the pool first.
/// </summary>
internal sealed class JournalAppend(ConcurrentQueue<JournalAppend> pool) : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> core;

    public UsageRecord? Record { get; set; }

    /// <summary>Where the record's line ends in the batch buffer.</summary>
    public int LineEnd { get; set; }

    public short Version => core.Version;

    public void Complete(Exception? error)
    {
        if (error is null)
        {
            core.SetResult(true);
        }
        else
        {
            core.SetException(error);
        }
    }

    public void GetResult(short token)
    {
        try
        {
            core.GetResult(token);
        }
        finally
        {
            // The waiter has its answer: the object can serve the next append.
            Record = null;
            core.Reset();
            pool.Enqueue(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        core.OnCompleted(continuation, state, token, flags);
}
