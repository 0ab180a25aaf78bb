using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Basalt.Aws.EventStream;

/// <summary>
/// Encodes event-stream messages:
/// <c>total_length u32 | headers_length u32 | prelude_crc u32 | headers | payload | message_crc u32</c>, big-endian,
/// CRC-32 (IEEE) over the first 8 bytes and over everything before the message CRC.
/// </summary>
public static class EventStreamEncoder
{
    /// <summary>Prelude (12 bytes) plus trailing message CRC (4 bytes).</summary>
    public const int Overhead = 16;

    public static int GetHeadersLength(IReadOnlyList<EventStreamHeader> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var length = 0;
        foreach (var (name, value) in headers)
        {
            ArgumentNullException.ThrowIfNull(value);
            var nameLength = Encoding.UTF8.GetByteCount(name);
            if (nameLength is 0 or > byte.MaxValue)
            {
                throw new ArgumentException($"An event-stream header name has 1 to 255 UTF-8 bytes; '{name}' has {nameLength}.", nameof(headers));
            }

            length += 1 + nameLength + 1 + value.EncodedValueLength;
        }

        return length;
    }

    public static int GetEncodedLength(EventStreamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var headersLength = GetHeadersLength(message.Headers);
        if (headersLength > EventStreamLimits.DefaultMaxHeadersLength)
        {
            throw new ArgumentException($"The headers take {headersLength} bytes; the limit is {EventStreamLimits.DefaultMaxHeadersLength}.", nameof(message));
        }

        var total = (long)Overhead + headersLength + message.Payload.Length;
        return total <= EventStreamLimits.DefaultMaxMessageLength
            ? (int)total
            : throw new ArgumentException($"The message would take {total} bytes; the limit is {EventStreamLimits.DefaultMaxMessageLength}.", nameof(message));
    }

    public static byte[] Encode(EventStreamMessage message)
    {
        var buffer = new byte[GetEncodedLength(message)];
        Encode(message, buffer);
        return buffer;
    }

    /// <summary>Writes the frame to <paramref name="writer"/> (e.g. a <c>PipeWriter</c>) without intermediate copies.</summary>
    public static void Write(EventStreamMessage message, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var length = GetEncodedLength(message);
        var span = writer.GetSpan(length);
        Encode(message, span);
        writer.Advance(length);
    }

    /// <summary>Encodes into <paramref name="destination"/> and returns the number of bytes written.</summary>
    public static int Encode(EventStreamMessage message, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        var total = GetEncodedLength(message);
        if (destination.Length < total)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the frame needs {total}.", nameof(destination));
        }

        var frame = destination[..total];
        var headersLength = total - Overhead - message.Payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame[4..], (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(frame[8..], Crc32.Compute(frame[..8]));

        var position = 12;
        foreach (var (name, value) in message.Headers)
        {
            var nameLength = Encoding.UTF8.GetBytes(name, frame[(position + 1)..]);
            frame[position] = (byte)nameLength;
            position += 1 + nameLength;
            frame[position++] = (byte)value.Type;
            position += WriteValue(value, frame[position..]);
        }

        message.Payload.Span.CopyTo(frame[position..]);
        position += message.Payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(frame[position..], Crc32.Compute(frame[..position]));
        return total;
    }

    private static int WriteValue(EventStreamHeaderValue value, Span<byte> destination)
    {
        switch (value.Type)
        {
            case EventStreamHeaderType.BoolTrue:
            case EventStreamHeaderType.BoolFalse:
                return 0;
            case EventStreamHeaderType.Byte:
                destination[0] = (byte)(sbyte)value.RawNumber;
                return 1;
            case EventStreamHeaderType.Short:
                BinaryPrimitives.WriteInt16BigEndian(destination, (short)value.RawNumber);
                return 2;
            case EventStreamHeaderType.Integer:
                BinaryPrimitives.WriteInt32BigEndian(destination, (int)value.RawNumber);
                return 4;
            case EventStreamHeaderType.Long:
            case EventStreamHeaderType.Timestamp:
                BinaryPrimitives.WriteInt64BigEndian(destination, value.RawNumber);
                return 8;
            case EventStreamHeaderType.ByteArray:
                var bytes = value.RawBytes;
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)bytes.Length);
                bytes.CopyTo(destination[2..]);
                return 2 + bytes.Length;
            case EventStreamHeaderType.String:
                var written = Encoding.UTF8.GetBytes(value.RawString, destination[2..]);
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)written);
                return 2 + written;
            case EventStreamHeaderType.Uuid:
                value.RawUuid.TryWriteBytes(destination, bigEndian: true, out _);
                return 16;
            default:
                throw new InvalidOperationException($"unknown header type {value.Type}");
        }
    }
}
