using System.Runtime.CompilerServices;
using Basalt.Aws.EventStream;

namespace Basalt.Bedrock;

/// <summary>
/// An open InvokeModelWithResponseStream answer. Frames are decoded as they arrive, never buffered whole.
/// Disposing it (or cancelling a read) closes the upstream connection, so a client that leaves stops the model.
/// The body can be read once, as typed events or as raw frames.
/// </summary>
public sealed class BedrockStreamResponse : IAsyncDisposable, IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly EventStreamLimits _limits;
    private int _reading;

    internal BedrockStreamResponse(HttpResponseMessage response, EventStreamLimits? limits = null)
    {
        _response = response;
        _limits = limits ?? EventStreamLimits.Default;
        Headers = BedrockErrorParser.AllHeaders(response);
    }

    public int StatusCode => (int)_response.StatusCode;

    public string? RequestId => BedrockErrorParser.RequestId(_response);

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Every frame as decoded (CRC-checked), with <see cref="EventStreamMessage.RawFrame"/> for pass-through.</summary>
    public async IAsyncEnumerable<EventStreamMessage> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("The stream body has already been read.");
        }

        var body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            await foreach (var frame in EventStreamDecoder.ReadAllAsync(body, _limits, cancellationToken).ConfigureAwait(false))
            {
                yield return frame;
            }
        }
    }

    /// <summary>Typed events; exception frames arrive as <see cref="BedrockStreamEventKind.Exception"/> events (see <see cref="BedrockStreamEvent.ToException"/>).</summary>
    public async IAsyncEnumerable<BedrockStreamEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var frame in ReadFramesAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return BedrockStreamEvent.From(frame);
        }
    }

    public void Dispose() => _response.Dispose();

    public ValueTask DisposeAsync()
    {
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
