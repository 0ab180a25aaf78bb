using System.Text;
using Basalt.Gateway.Hosting;

namespace Basalt.Gateway.Tests.Hosting;

public sealed class GatewayAccessLogTests
{
    [Fact]
    public async Task Every_queued_line_is_written_whole_in_the_console_loggers_shape_by_the_time_it_is_disposed()
    {
        using var output = new ChunkRecordingStream();
        var time = new FixedTime(new DateTimeOffset(2026, 12, 7, 4, 30, 1, 234, TimeSpan.Zero));
        var log = new GatewayAccessLog(output, time);
        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, (i, _) =>
        {
            log.Write($"req_{i:D4}", "POST", "/v1/messages", 200, i % 7);
            return ValueTask.CompletedTask;
        });
        await log.DisposeAsync();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2000, lines.Length);
        Assert.Equal(2000, lines.Select(l => l.Split(' ')[4]).Distinct().Count());
        Assert.All(lines, l => Assert.Matches(@"^2026-12-07T04:30:01\.234Z info: Basalt\.Gateway\[8001\] access req_\d{4} POST /v1/messages status=200 durationMs=\d$", l));

        // Written in whole lines of at most 4 KiB per write, so another writer of the same pipe cannot split a line.
        Assert.All(output.Chunks, c => Assert.True(c.Length <= 4096 && c[^1] == (byte)'\n', $"a write of {c.Length} bytes"));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class ChunkRecordingStream : MemoryStream
    {
        public List<byte[]> Chunks { get; } = [];

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Chunks.Add(buffer.ToArray());
            base.Write(buffer);
        }
    }
}
