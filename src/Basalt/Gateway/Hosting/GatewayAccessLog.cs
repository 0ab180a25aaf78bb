using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Basalt.Gateway.Hosting;

/// <summary>
/// The gateway's access log (one line per request, issue 8 item 8) written by one background writer to a buffered
/// stream, for hosts that print it (<c>basalt gateway serve</c>). Through Microsoft.Extensions.Logging's console
/// provider each line cost a formatted message, a queue with a lock shared by every request thread and a console
/// write: 16% of the gateway's CPU at 64 concurrent requests, much of it lock contention (dotnet-trace, 2026-12-07).
/// Here a request only enqueues a small entry; the writer formats lines into one buffer and writes whole lines in
/// chunks of at most 4 KiB (so another writer of the same pipe, e.g. the console logger, never splits a line),
/// flushing whenever the queue runs dry. The line reads as the console logger printed it. Never prompt text, never
/// the query string, never a secret: the same fields as <see cref="GatewayLog.Access"/>.
/// </summary>
public sealed class GatewayAccessLog : IAsyncDisposable
{
    private const int ChunkBytes = 4096;
    private readonly Stream output;
    private readonly TimeProvider time;
    // Bounded: when stdout stalls (a paused terminal, a full pipe) lines are dropped rather than queued without limit,
    // so a stuck log reader cannot grow the gateway's memory. 65,536 entries is several seconds at full load.
    private const int MaxQueued = 65_536;
    private readonly Channel<Entry> queue = Channel.CreateBounded<Entry>(new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task loop;

    public GatewayAccessLog(Stream output, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        this.output = output;
        this.time = time ?? TimeProvider.System;
        loop = Task.Factory.StartNew(WriteLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Queues one access line; never blocks on the output (a line is dropped when the queue is full).</summary>
    public void Write(string requestId, string method, string path, int status, long durationMs) =>
        queue.Writer.TryWrite(new Entry(time.GetUtcNow().UtcDateTime, requestId, method, path, status, durationMs));

    /// <summary>Writes what is queued and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var reader = queue.Reader;
        var buffer = new byte[ChunkBytes * 2];
        var chars = new char[ChunkBytes];
        var used = 0;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var e))
            {
                var line = Format(e, chars);
                var n = Encoding.UTF8.GetByteCount(line);
                if (used > 0 && used + n > ChunkBytes)
                {
                    Flush(buffer, ref used);
                }

                if (n > buffer.Length)
                {
                    // A path longer than the buffer (the request line limit allows it): written on its own.
                    Flush(buffer, ref used);
                    TryWrite(Encoding.UTF8.GetBytes(line.ToString()));
                    continue;
                }

                used += Encoding.UTF8.GetBytes(line, buffer.AsSpan(used));
            }

            Flush(buffer, ref used);
        }
    }

    private static ReadOnlySpan<char> Format(in Entry e, char[] chars)
    {
        var b = new StringBuilder(128);
        b.Append(e.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ ", CultureInfo.InvariantCulture))
            .Append("info: Basalt.Gateway[8001] access ").Append(e.RequestId).Append(' ').Append(e.Method).Append(' ').Append(e.Path)
            .Append(" status=").Append(e.Status.ToString(CultureInfo.InvariantCulture))
            .Append(" durationMs=").Append(e.DurationMs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (b.Length <= chars.Length)
        {
            b.CopyTo(0, chars, 0, b.Length);
            return chars.AsSpan(0, b.Length);
        }

        return b.ToString();
    }

    private void Flush(byte[] buffer, ref int used)
    {
        if (used == 0)
        {
            return;
        }

        TryWrite(buffer.AsSpan(0, used));
        used = 0;
    }

    private void TryWrite(ReadOnlySpan<byte> bytes)
    {
        try
        {
            output.Write(bytes);
            output.Flush();
        }
        catch (IOException)
        {
            // stdout closed (the reader went away): the access log is best effort, requests are not failed for it.
        }
    }

    private readonly record struct Entry(DateTime Time, string RequestId, string Method, string Path, int Status, long DurationMs);
}
