using System.Buffers;
using System.Text.Json;
using Basalt.Aws.EventStream;
using Basalt.Emulator.Faults;
using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// Writes Anthropic stream events as Bedrock event-stream frames straight to the response body, one flush per
/// frame (never buffering the response): headers <c>:event-type chunk</c>, <c>:content-type application/json</c>,
/// <c>:message-type event</c>; payload <c>{"bytes":"&lt;base64 event JSON&gt;","p":"..."}</c> (bedrock-and-clients §1).
/// Applies a stream fault (exception frame, reset, stall) once its number of frames has been sent.
/// </summary>
internal sealed class BedrockEventStreamWriter : IDisposable
{
    private const string Padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    // The three headers of every data frame; shared, since header values are immutable.
    private static readonly EventStreamHeader[] ChunkHeaders =
    [
        new(EventStreamMessage.EventTypeHeader, EventStreamHeaderValue.FromString("chunk")),
        new(EventStreamMessage.ContentTypeHeader, EventStreamHeaderValue.FromString("application/json")),
        new(EventStreamMessage.MessageTypeHeader, EventStreamHeaderValue.FromString("event")),
    ];

    private readonly HttpContext _context;
    private readonly ArrayBufferWriter<byte> _event = new(512);
    private readonly ArrayBufferWriter<byte> _payload = new(1024);
    private readonly Utf8JsonWriter _eventWriter;
    private readonly Utf8JsonWriter _payloadWriter;
    private FaultSpec? _fault;

    public BedrockEventStreamWriter(HttpContext context, FaultSpec? fault)
    {
        _context = context;
        _fault = fault;
        _eventWriter = new Utf8JsonWriter(_event);
        _payloadWriter = new Utf8JsonWriter(_payload);
    }

    public int FramesWritten { get; private set; }

    /// <summary>The error code of the stream fault that ended the stream (for the request log), if any.</summary>
    public string? FaultOutcome { get; private set; }

    /// <summary>False once a fault has ended the stream; the caller stops generating.</summary>
    public bool IsOpen { get; private set; } = true;

    /// <summary>Renders one event with <paramref name="write"/> and sends it as a chunk frame.</summary>
    public async ValueTask WriteEventAsync<TState>(TState state, Action<Utf8JsonWriter, TState> write, CancellationToken cancellationToken)
    {
        if (!IsOpen || !await ApplyFaultAsync(atEnd: false, cancellationToken))
        {
            return;
        }

        _event.ResetWrittenCount();
        _eventWriter.Reset();
        write(_eventWriter, state);
        _eventWriter.Flush();

        _payload.ResetWrittenCount();
        _payloadWriter.Reset();
        _payloadWriter.WriteStartObject();
        _payloadWriter.WriteBase64String("bytes", _event.WrittenSpan);
        // Bedrock pads payloads with "p" so that frame sizes do not reveal token lengths; clients ignore it.
        _payloadWriter.WriteString("p", Padding.AsSpan(0, 1 + (_event.WrittenCount % Padding.Length)));
        _payloadWriter.WriteEndObject();
        _payloadWriter.Flush();

        EventStreamEncoder.Write(new EventStreamMessage(ChunkHeaders, _payload.WrittenMemory), _context.Response.BodyWriter);
        await FlushAsync(cancellationToken);
        FramesWritten++;
    }

    /// <summary>Applies a fault whose frame count was never reached (a short stream), after the last frame.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (IsOpen)
        {
            await ApplyFaultAsync(atEnd: true, cancellationToken);
        }
    }

    /// <summary>An exception frame (<c>:message-type exception</c>); the stream ends after it.</summary>
    public async ValueTask WriteExceptionAsync(BedrockError error, CancellationToken cancellationToken)
    {
        _payload.ResetWrittenCount();
        _payloadWriter.Reset();
        _payloadWriter.WriteStartObject();
        _payloadWriter.WriteString("message", error.Message);
        _payloadWriter.WriteEndObject();
        _payloadWriter.Flush();
        EventStreamEncoder.Write(EventStreamMessage.Exception(error.ExceptionType, _payload.WrittenMemory), _context.Response.BodyWriter);
        await FlushAsync(cancellationToken);
        FramesWritten++;
        IsOpen = false;
        FaultOutcome ??= error.Code;
    }

    public void Dispose()
    {
        _eventWriter.Dispose();
        _payloadWriter.Dispose();
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var result = await _context.Response.BodyWriter.FlushAsync(cancellationToken);
        if (result.IsCanceled || result.IsCompleted)
        {
            // The client went away; generation stops with the stream.
            IsOpen = false;
        }
    }

    /// <returns>True when the next frame may be written.</returns>
    private async ValueTask<bool> ApplyFaultAsync(bool atEnd, CancellationToken cancellationToken)
    {
        if (_fault is not { } fault || (!atEnd && FramesWritten < fault.AfterFrames))
        {
            return true;
        }

        _fault = null;
        switch (fault.Kind)
        {
            case FaultKind.StreamException:
                await WriteExceptionAsync(FaultResponses.ForExceptionType(fault.ExceptionType), cancellationToken);
                return false;
            case FaultKind.Reset:
                FaultOutcome = "ConnectionReset";
                IsOpen = false;
                // An abort resets the TCP connection, and a reset discards bytes the client has not read yet; a
                // moment's grace lets the frames already sent arrive, so the client sees a stream cut mid-way.
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
                _context.Abort();
                return false;
            case FaultKind.Stall:
                if (fault.Delay is not { } delay)
                {
                    // Silent until the client gives up; its cancellation ends the request.
                    FaultOutcome = "Stalled";
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                    return false;
                }

                await Task.Delay(delay, cancellationToken);
                return true;
            default:
                return true;
        }
    }
}
