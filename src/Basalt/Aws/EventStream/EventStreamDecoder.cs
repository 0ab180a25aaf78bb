using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace Basalt.Aws.EventStream;

/// <summary>
/// Incremental event-stream decoder: feed bytes as they arrive, split anywhere, and take complete messages.
/// The prelude (lengths and their CRC) is checked before any frame is buffered, so a corrupt or hostile length
/// fails at once with <see cref="EventStreamException"/> and no large allocation; the message CRC is checked before
/// a message is handed out. Static helpers serve <c>PipeReader</c> callers that own their buffers.
/// </summary>
public sealed class EventStreamDecoder : IDisposable
{
    private const int PreludeLength = 12;
    private const int InitialBufferSize = 4096;

    private readonly EventStreamLimits _limits;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _failed;

    public EventStreamDecoder(EventStreamLimits? limits = null)
    {
        _limits = limits ?? EventStreamLimits.Default;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>Bytes received but not yet part of a returned message.</summary>
    public int BufferedByteCount => _end - _start;

    /// <summary>Appends received bytes. Call <see cref="TryRead"/> until it returns false after each feed.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (data.IsEmpty)
        {
            return;
        }

        EnsureCapacity(data.Length);
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Takes the next complete message, or returns false when more bytes are needed.</summary>
    /// <exception cref="EventStreamException">The buffered bytes are not a valid frame; the decoder stays failed.</exception>
    public bool TryRead([NotNullWhen(true)] out EventStreamMessage? message)
    {
        message = null;
        if (_failed)
        {
            throw new EventStreamException(EventStreamErrorCode.Truncated, "The event stream already failed; no further messages can be read.");
        }

        var available = _buffer.AsSpan(_start, _end - _start);
        if (available.Length < PreludeLength)
        {
            return false;
        }

        int total;
        try
        {
            total = ReadPrelude(available, _limits, out _);
        }
        catch (EventStreamException)
        {
            _failed = true;
            throw;
        }

        if (available.Length < total)
        {
            return false;
        }

        try
        {
            message = ParseFrame(available[..total], _limits, owned: null);
        }
        catch (EventStreamException)
        {
            _failed = true;
            throw;
        }

        _start += total;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        return true;
    }

    /// <summary>Call at end of stream: fails with <see cref="EventStreamErrorCode.Truncated"/> when a partial frame is left.</summary>
    public void Complete()
    {
        if (BufferedByteCount > 0)
        {
            _failed = true;
            throw new EventStreamException(EventStreamErrorCode.Truncated, $"The event stream ended inside a frame ({BufferedByteCount} bytes of an incomplete message).");
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>Decodes every message of <paramref name="stream"/> as it arrives (no whole-body buffering).</summary>
    public static async IAsyncEnumerable<EventStreamMessage> ReadAllAsync(Stream stream, EventStreamLimits? limits = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var decoder = new EventStreamDecoder(limits);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(chunk.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    decoder.Complete();
                    yield break;
                }

                decoder.Feed(chunk.AsSpan(0, read));
                while (decoder.TryRead(out var message))
                {
                    yield return message;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// Slices the next complete, CRC-checked frame off <paramref name="buffer"/> without copying (for pass-through
    /// of raw frames from a <c>PipeReader</c>). Returns false, leaving <paramref name="buffer"/> as it was, when more bytes are needed.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, EventStreamLimits? limits = null)
    {
        limits ??= EventStreamLimits.Default;
        frame = default;
        if (buffer.Length < PreludeLength)
        {
            return false;
        }

        Span<byte> prelude = stackalloc byte[PreludeLength];
        buffer.Slice(0, PreludeLength).CopyTo(prelude);
        var total = ReadPrelude(prelude, limits, out _);
        if (buffer.Length < total)
        {
            return false;
        }

        var candidate = buffer.Slice(0, total);
        Span<byte> crcBytes = stackalloc byte[4];
        candidate.Slice(total - 4).CopyTo(crcBytes);
        var expected = BinaryPrimitives.ReadUInt32BigEndian(crcBytes);
        var actual = Crc32.Compute(candidate.Slice(0, total - 4));
        if (expected != actual)
        {
            throw new EventStreamException(EventStreamErrorCode.MessageChecksumMismatch, $"Message checksum mismatch: the frame says 0x{expected:x8}, its bytes give 0x{actual:x8}.");
        }

        frame = candidate;
        buffer = buffer.Slice(total);
        return true;
    }

    /// <summary>Decodes the next complete message off <paramref name="buffer"/> (advancing it), or returns false when more bytes are needed.</summary>
    public static bool TryReadMessage(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out EventStreamMessage? message, EventStreamLimits? limits = null)
    {
        message = null;
        var rest = buffer;
        if (!TryReadFrame(ref rest, out var frame, limits))
        {
            return false;
        }

        var owned = frame.ToArray();
        message = ParseFrame(owned, limits ?? EventStreamLimits.Default, owned);
        buffer = rest;
        return true;
    }

    /// <summary>Decodes exactly one complete frame.</summary>
    public static EventStreamMessage Parse(ReadOnlySpan<byte> frame, EventStreamLimits? limits = null)
    {
        limits ??= EventStreamLimits.Default;
        if (frame.Length < PreludeLength)
        {
            throw new EventStreamException(EventStreamErrorCode.Truncated, $"A frame needs at least {EventStreamEncoder.Overhead} bytes; got {frame.Length}.");
        }

        var total = ReadPrelude(frame, limits, out _);
        if (frame.Length != total)
        {
            throw new EventStreamException(EventStreamErrorCode.Truncated, $"The frame says {total} bytes but {frame.Length} were given.");
        }

        return ParseFrame(frame, limits, owned: null);
    }

    /// <summary>Validates the 12-byte prelude and returns the total frame length.</summary>
    private static int ReadPrelude(ReadOnlySpan<byte> data, EventStreamLimits limits, out int headersLength)
    {
        var total = BinaryPrimitives.ReadUInt32BigEndian(data);
        var headers = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        var expected = BinaryPrimitives.ReadUInt32BigEndian(data[8..]);
        var actual = Crc32.Compute(data[..8]);
        if (expected != actual)
        {
            throw new EventStreamException(EventStreamErrorCode.PreludeChecksumMismatch, $"Prelude checksum mismatch: the frame says 0x{expected:x8}, its first 8 bytes give 0x{actual:x8} (not an event stream, or corrupted).");
        }

        if (total < EventStreamEncoder.Overhead)
        {
            throw new EventStreamException(EventStreamErrorCode.MessageTooShort, $"A frame declares {total} bytes; the minimum is {EventStreamEncoder.Overhead}.");
        }

        if (total > (uint)limits.MaxMessageLength)
        {
            throw new EventStreamException(EventStreamErrorCode.MessageTooLong, $"A frame declares {total} bytes; the limit is {limits.MaxMessageLength}.");
        }

        if (headers > total - EventStreamEncoder.Overhead)
        {
            throw new EventStreamException(EventStreamErrorCode.InvalidHeader, $"A frame declares {headers} bytes of headers in a {total}-byte frame.");
        }

        if (headers > (uint)limits.MaxHeadersLength)
        {
            throw new EventStreamException(EventStreamErrorCode.HeadersTooLong, $"A frame declares {headers} bytes of headers; the limit is {limits.MaxHeadersLength}.");
        }

        headersLength = (int)headers;
        return (int)total;
    }

    /// <summary>Checks the message CRC and decodes a whole frame whose prelude is valid; copies it once.</summary>
    private static EventStreamMessage ParseFrame(ReadOnlySpan<byte> frame, EventStreamLimits limits, byte[]? owned)
    {
        var total = ReadPrelude(frame, limits, out var headersLength);
        var expected = BinaryPrimitives.ReadUInt32BigEndian(frame[(total - 4)..]);
        var actual = Crc32.Compute(frame[..(total - 4)]);
        if (expected != actual)
        {
            throw new EventStreamException(EventStreamErrorCode.MessageChecksumMismatch, $"Message checksum mismatch: the frame says 0x{expected:x8}, its bytes give 0x{actual:x8}.");
        }

        var headers = ParseHeaders(frame.Slice(PreludeLength, headersLength));
        var copy = owned ?? frame.ToArray();
        var payloadStart = PreludeLength + headersLength;
        return new EventStreamMessage(headers, copy.AsMemory(payloadStart, total - 4 - payloadStart)) { RawFrame = copy };
    }

    private static List<EventStreamHeader> ParseHeaders(ReadOnlySpan<byte> data)
    {
        var headers = new List<EventStreamHeader>(4);
        var position = 0;
        while (position < data.Length)
        {
            var nameLength = data[position++];
            if (nameLength == 0 || position + nameLength + 1 > data.Length)
            {
                throw InvalidHeader($"header name of {nameLength} bytes at offset {position - 1}");
            }

            var name = Encoding.UTF8.GetString(data.Slice(position, nameLength));
            position += nameLength;
            var type = (EventStreamHeaderType)data[position++];
            var rest = data[position..];
            EventStreamHeaderValue value;
            int used;
            switch (type)
            {
                case EventStreamHeaderType.BoolTrue:
                case EventStreamHeaderType.BoolFalse:
                    value = EventStreamHeaderValue.FromBoolean(type == EventStreamHeaderType.BoolTrue);
                    used = 0;
                    break;
                case EventStreamHeaderType.Byte:
                    Need(rest, 1, name);
                    value = EventStreamHeaderValue.FromByte((sbyte)rest[0]);
                    used = 1;
                    break;
                case EventStreamHeaderType.Short:
                    Need(rest, 2, name);
                    value = EventStreamHeaderValue.FromInt16(BinaryPrimitives.ReadInt16BigEndian(rest));
                    used = 2;
                    break;
                case EventStreamHeaderType.Integer:
                    Need(rest, 4, name);
                    value = EventStreamHeaderValue.FromInt32(BinaryPrimitives.ReadInt32BigEndian(rest));
                    used = 4;
                    break;
                case EventStreamHeaderType.Long:
                    Need(rest, 8, name);
                    value = EventStreamHeaderValue.FromInt64(BinaryPrimitives.ReadInt64BigEndian(rest));
                    used = 8;
                    break;
                case EventStreamHeaderType.Timestamp:
                    Need(rest, 8, name);
                    value = EventStreamHeaderValue.FromTimestampMilliseconds(BinaryPrimitives.ReadInt64BigEndian(rest));
                    used = 8;
                    break;
                case EventStreamHeaderType.ByteArray:
                case EventStreamHeaderType.String:
                    Need(rest, 2, name);
                    var length = BinaryPrimitives.ReadUInt16BigEndian(rest);
                    Need(rest, 2 + length, name);
                    var bytes = rest.Slice(2, length);
                    value = type == EventStreamHeaderType.String ? EventStreamHeaderValue.FromString(DecodeUtf8(bytes, name)) : EventStreamHeaderValue.FromBytes(bytes);
                    used = 2 + length;
                    break;
                case EventStreamHeaderType.Uuid:
                    Need(rest, 16, name);
                    value = EventStreamHeaderValue.FromUuid(new Guid(rest[..16], bigEndian: true));
                    used = 16;
                    break;
                default:
                    throw InvalidHeader($"unknown value type {(byte)type} of header '{name}'");
            }

            headers.Add(new EventStreamHeader(name, value));
            position += used;
        }

        return headers;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, string name)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw InvalidHeader($"string value of header '{name}' is not UTF-8");
        }
    }

    private static void Need(ReadOnlySpan<byte> rest, int length, string name)
    {
        if (rest.Length < length)
        {
            throw InvalidHeader($"value of header '{name}' runs past the headers ({length} bytes needed, {rest.Length} left)");
        }
    }

    private static EventStreamException InvalidHeader(string detail) => new(EventStreamErrorCode.InvalidHeader, $"Invalid event-stream header: {detail}.");

    private void EnsureCapacity(int extra)
    {
        var used = _end - _start;
        if (_end + extra <= _buffer.Length)
        {
            return;
        }

        if (used + extra <= _buffer.Length)
        {
            _buffer.AsSpan(_start, used).CopyTo(_buffer);
        }
        else
        {
            // Growth follows the bytes actually received, never a declared length.
            var size = Math.Max(_buffer.Length * 2, used + extra);
            var bigger = ArrayPool<byte>.Shared.Rent(size);
            _buffer.AsSpan(_start, used).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        _start = 0;
        _end = used;
    }
}
