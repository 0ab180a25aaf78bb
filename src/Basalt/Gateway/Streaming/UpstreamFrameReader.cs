using System.Buffers;
using System.IO.Pipelines;
using Basalt.Aws.EventStream;

namespace Basalt.Gateway.Streaming;

/// <summary>
/// Reads Bedrock's event stream frame by frame as it arrives (bedrock-and-clients §1, "Streaming") from a
/// <see cref="PipeReader"/> over the upstream body: pooled segments, the prelude checked against
/// <see cref="EventStreamLimits"/> before a frame is buffered, one small copy per frame, never the whole body.
/// After the first frame every read is bounded by the idle timeout (issue 8 item 8): an upstream that goes silent
/// longer ends in <see cref="UpstreamIdleException"/>, and the cancelled read aborts the upstream connection.
/// </summary>
internal sealed class UpstreamFrameReader : IAsyncDisposable
{
    private readonly PipeReader _reader;
    private readonly EventStreamLimits _limits;
    private readonly TimeSpan _idleTimeout;
    private CancellationTokenSource? _idle;
    private bool _sawFirst;

    public UpstreamFrameReader(Stream body, EventStreamLimits? limits = null, TimeSpan? idleTimeout = null)
    {
        _reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: false));
        _limits = limits ?? EventStreamLimits.Default;
        _idleTimeout = idleTimeout ?? Timeout.InfiniteTimeSpan;
    }

    /// <summary>The next frame, or null at a clean end of stream.</summary>
    /// <exception cref="EventStreamException">A corrupt frame or a stream cut inside a frame.</exception>
    /// <exception cref="UpstreamIdleException">No byte for longer than the idle timeout after the first frame.</exception>
    public async ValueTask<EventStreamMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        // The first frame is bounded by the first-byte timeout of the caller; silence is measured after it.
        if (!_sawFirst || _idleTimeout == Timeout.InfiniteTimeSpan)
        {
            _sawFirst = true;
            return await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        }

        // One timer per stream, re-armed per read (not a linked source per frame).
        _idle ??= CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _idle.CancelAfter(_idleTimeout);
        try
        {
            return await ReadFrameAsync(_idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamIdleException(_idleTimeout);
        }
        finally
        {
            _idle.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    private async ValueTask<EventStreamMessage?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            EventStreamMessage? message;
            bool got;
            try
            {
                got = EventStreamDecoder.TryReadMessage(ref buffer, out message, _limits);
            }
            catch
            {
                _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                throw;
            }

            if (got)
            {
                _reader.AdvanceTo(buffer.Start);
                return message;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    throw new EventStreamException(EventStreamErrorCode.Truncated, $"The upstream event stream ended inside a frame ({buffer.Length} bytes of an incomplete message).");
                }

                return null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        _idle?.Dispose();
    }
}
