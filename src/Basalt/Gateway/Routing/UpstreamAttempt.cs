using Basalt.Aws.EventStream;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Streaming;
using Basalt.Gateway.Upstream;

namespace Basalt.Gateway.Routing;

/// <summary>
/// An upstream answer the gateway committed to: the open response, and for streams the frame reader with the first
/// frame already read (so a failure before that frame could still move to another upstream). The owner disposes it.
/// </summary>
internal sealed class UpstreamAttempt : IAsyncDisposable
{
    public required HttpResponseMessage Response { get; init; }

    public required UpstreamClient Upstream { get; init; }

    public required GatewayRoute Route { get; init; }

    public required int Attempts { get; init; }

    public UpstreamFrameReader? Frames { get; init; }

    public EventStreamMessage? FirstFrame { get; init; }

    public TimeSpan TimeToFirstByte { get; init; }

    public async ValueTask DisposeAsync()
    {
        if (Frames is not null)
        {
            await Frames.DisposeAsync().ConfigureAwait(false);
        }

        Response.Dispose();
    }
}
