using System.Globalization;
using System.Text;

namespace Basalt.Aws.EventStream;

/// <summary>
/// A typed event-stream header value. Integers are signed as on the wire (byte is int8), timestamps are
/// milliseconds since the Unix epoch, UUIDs are 16 bytes in RFC 4122 (big-endian) order.
/// </summary>
public sealed class EventStreamHeaderValue : IEquatable<EventStreamHeaderValue>
{
    private readonly long _number;
    private readonly object? _reference;
    private readonly Guid _uuid;

    private EventStreamHeaderValue(EventStreamHeaderType type, long number = 0, object? reference = null, Guid uuid = default)
    {
        Type = type;
        _number = number;
        _reference = reference;
        _uuid = uuid;
    }

    public EventStreamHeaderType Type { get; }

    public static EventStreamHeaderValue FromBoolean(bool value) => new(value ? EventStreamHeaderType.BoolTrue : EventStreamHeaderType.BoolFalse);

    public static EventStreamHeaderValue FromByte(sbyte value) => new(EventStreamHeaderType.Byte, value);

    public static EventStreamHeaderValue FromInt16(short value) => new(EventStreamHeaderType.Short, value);

    public static EventStreamHeaderValue FromInt32(int value) => new(EventStreamHeaderType.Integer, value);

    public static EventStreamHeaderValue FromInt64(long value) => new(EventStreamHeaderType.Long, value);

    /// <summary>At most 65,535 bytes (u16 length on the wire).</summary>
    public static EventStreamHeaderValue FromBytes(ReadOnlySpan<byte> value)
    {
        CheckLength(value.Length);
        return new(EventStreamHeaderType.ByteArray, reference: value.ToArray());
    }

    /// <summary>At most 65,535 UTF-8 bytes (u16 length on the wire).</summary>
    public static EventStreamHeaderValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckLength(Encoding.UTF8.GetByteCount(value));
        return new(EventStreamHeaderType.String, reference: value);
    }

    public static EventStreamHeaderValue FromTimestamp(DateTimeOffset value) => new(EventStreamHeaderType.Timestamp, value.ToUnixTimeMilliseconds());

    public static EventStreamHeaderValue FromTimestampMilliseconds(long unixMilliseconds) => new(EventStreamHeaderType.Timestamp, unixMilliseconds);

    public static EventStreamHeaderValue FromUuid(Guid value) => new(EventStreamHeaderType.Uuid, uuid: value);

    public static implicit operator EventStreamHeaderValue(string value) => FromString(value);

    public bool AsBoolean() => Type switch
    {
        EventStreamHeaderType.BoolTrue => true,
        EventStreamHeaderType.BoolFalse => false,
        _ => throw WrongType("boolean"),
    };

    public sbyte AsByte() => Type == EventStreamHeaderType.Byte ? (sbyte)_number : throw WrongType("byte");

    public short AsInt16() => Type == EventStreamHeaderType.Short ? (short)_number : throw WrongType("short");

    public int AsInt32() => Type == EventStreamHeaderType.Integer ? (int)_number : throw WrongType("integer");

    public long AsInt64() => Type == EventStreamHeaderType.Long ? _number : throw WrongType("long");

    public ReadOnlyMemory<byte> AsBytes() => Type == EventStreamHeaderType.ByteArray ? (byte[])_reference! : throw WrongType("byte array");

    public string AsString() => Type == EventStreamHeaderType.String ? (string)_reference! : throw WrongType("string");

    public DateTimeOffset AsTimestamp() => Type == EventStreamHeaderType.Timestamp ? DateTimeOffset.FromUnixTimeMilliseconds(_number) : throw WrongType("timestamp");

    public long AsTimestampMilliseconds() => Type == EventStreamHeaderType.Timestamp ? _number : throw WrongType("timestamp");

    public Guid AsUuid() => Type == EventStreamHeaderType.Uuid ? _uuid : throw WrongType("uuid");

    public bool Equals(EventStreamHeaderValue? other)
    {
        if (other is null || other.Type != Type)
        {
            return false;
        }

        return Type switch
        {
            EventStreamHeaderType.ByteArray => ((byte[])_reference!).AsSpan().SequenceEqual((byte[])other._reference!),
            EventStreamHeaderType.String => string.Equals((string)_reference!, (string)other._reference!, StringComparison.Ordinal),
            EventStreamHeaderType.Uuid => _uuid == other._uuid,
            _ => _number == other._number,
        };
    }

    public override bool Equals(object? obj) => Equals(obj as EventStreamHeaderValue);

    public override int GetHashCode() => HashCode.Combine(Type, _number, _uuid, _reference is string s ? s.GetHashCode(StringComparison.Ordinal) : 0);

    public override string ToString() => Type switch
    {
        EventStreamHeaderType.BoolTrue => "true",
        EventStreamHeaderType.BoolFalse => "false",
        EventStreamHeaderType.ByteArray => Convert.ToBase64String((byte[])_reference!),
        EventStreamHeaderType.String => (string)_reference!,
        EventStreamHeaderType.Timestamp => AsTimestamp().ToString("O", CultureInfo.InvariantCulture),
        EventStreamHeaderType.Uuid => _uuid.ToString(),
        _ => _number.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Bytes of the encoded value after the type byte.</summary>
    internal int EncodedValueLength => Type switch
    {
        EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => 0,
        EventStreamHeaderType.Byte => 1,
        EventStreamHeaderType.Short => 2,
        EventStreamHeaderType.Integer => 4,
        EventStreamHeaderType.Long or EventStreamHeaderType.Timestamp => 8,
        EventStreamHeaderType.ByteArray => 2 + ((byte[])_reference!).Length,
        EventStreamHeaderType.String => 2 + Encoding.UTF8.GetByteCount((string)_reference!),
        EventStreamHeaderType.Uuid => 16,
        _ => throw new InvalidOperationException($"unknown header type {Type}"),
    };

    internal long RawNumber => _number;

    internal byte[] RawBytes => (byte[])_reference!;

    internal string RawString => (string)_reference!;

    internal Guid RawUuid => _uuid;

    private static void CheckLength(int length)
    {
        if (length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "An event-stream header value holds at most 65,535 bytes.");
        }
    }

    private InvalidOperationException WrongType(string wanted) => new($"The header value is a {Type}, not a {wanted}.");
}
