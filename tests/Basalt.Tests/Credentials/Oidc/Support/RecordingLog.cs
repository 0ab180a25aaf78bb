using System.Text;

namespace Basalt.Tests.Credentials.Oidc.Support;

/// <summary>The credential log (stderr in the helper) captured for assertions, with a way to wait for a line.</summary>
public sealed class RecordingLog : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _text.Append(value);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Waits until a line satisfying <paramref name="match"/> has been written and returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                // Only complete lines: everything before the last newline.
                var lines = _text.ToString().Split('\n');
                var line = lines.Take(lines.Length - 1).Select(l => l.TrimEnd('\r')).FirstOrDefault(match);
                if (line is not null)
                {
                    return line;
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no matching log line; log so far:\n{Text}");
            }

            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    /// <summary>Fails when any of <paramref name="secrets"/> appears in the log.</summary>
    public void AssertContainsNone(IEnumerable<string> secrets)
    {
        var text = Text;
        var leaked = secrets.Where(s => text.Contains(s, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, $"{leaked.Count} secret(s) leaked into the log (first starts with '{leaked.FirstOrDefault()?[..6]}')");
    }
}
