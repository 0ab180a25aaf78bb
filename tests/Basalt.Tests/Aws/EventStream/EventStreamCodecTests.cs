using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Basalt.Aws.EventStream;

namespace Basalt.Tests.Aws.EventStream;

public sealed class EventStreamCodecTests
{
    internal static EventStreamMessage AllHeaderTypes(int seed = 0) => new(
        [
            new("bool-true", EventStreamHeaderValue.FromBoolean(true)),
            new("bool-false", EventStreamHeaderValue.FromBoolean(false)),
            new("byte", EventStreamHeaderValue.FromByte(-7)),
            new("short", EventStreamHeaderValue.FromInt16(-12345)),
            new("integer", EventStreamHeaderValue.FromInt32(int.MinValue + seed)),
            new("long", EventStreamHeaderValue.FromInt64(-9_007_199_254_740_991L + seed)),
            new("binary", EventStreamHeaderValue.FromBytes([0, 1, 2, 254, 255])),
            new("string", EventStreamHeaderValue.FromString("héllo ✓")),
            new("timestamp", EventStreamHeaderValue.FromTimestampMilliseconds(1_700_000_000_123 + seed)),
            new("uuid", EventStreamHeaderValue.FromUuid(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"))),
        ],
        Encoding.UTF8.GetBytes($"{{\"bytes\":\"payload {seed}\"}}"));

    internal static EventStreamMessage BedrockChunk(string eventJson)
        => EventStreamMessage.Event("chunk", Encoding.UTF8.GetBytes($"{{\"bytes\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(eventJson))}\",\"p\":\"abcd\"}}"));

    internal static void AssertSameMessage(EventStreamMessage expected, EventStreamMessage actual)
    {
        Assert.Equal(expected.Headers.Select(h => h.Name), actual.Headers.Select(h => h.Name));
        for (var i = 0; i < expected.Headers.Count; i++)
        {
            Assert.Equal(expected.Headers[i].Value, actual.Headers[i].Value);
        }

        Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
    }

    [Fact]
    public void Every_header_type_round_trips()
    {
        var message = AllHeaderTypes();
        var frame = EventStreamEncoder.Encode(message);
        var decoded = EventStreamDecoder.Parse(frame);

        AssertSameMessage(message, decoded);
        Assert.Equal(frame, decoded.RawFrame.ToArray());
        Assert.Equal(frame.Length, EventStreamEncoder.GetEncodedLength(message));
        Assert.True(decoded.GetHeader("bool-true")!.AsBoolean());
        Assert.Equal(-7, decoded.GetHeader("byte")!.AsByte());
        Assert.Equal("héllo ✓", decoded.GetString("string"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), decoded.GetHeader("timestamp")!.AsTimestamp());
        Assert.Throws<InvalidOperationException>(() => decoded.GetHeader("string")!.AsInt32());
    }

    [Fact]
    public void Frames_split_at_every_byte_decode_identically()
    {
        var messages = new[] { BedrockChunk("{\"type\":\"message_start\"}"), AllHeaderTypes(1), EventStreamMessage.Exception("throttlingException", "{\"message\":\"slow down\"}"u8.ToArray()) };
        var stream = messages.SelectMany(EventStreamEncoder.Encode).ToArray();

        for (var split = 0; split <= stream.Length; split++)
        {
            using var decoder = new EventStreamDecoder();
            var decoded = new List<EventStreamMessage>();
            decoder.Feed(stream.AsSpan(0, split));
            while (decoder.TryRead(out var m))
            {
                decoded.Add(m);
            }

            decoder.Feed(stream.AsSpan(split));
            while (decoder.TryRead(out var m))
            {
                decoded.Add(m);
            }

            decoder.Complete();
            Assert.Equal(messages.Length, decoded.Count);
            for (var i = 0; i < messages.Length; i++)
            {
                AssertSameMessage(messages[i], decoded[i]);
            }
        }
    }

    [Fact]
    public void One_byte_at_a_time_decodes_and_keeps_the_buffer_small()
    {
        var messages = Enumerable.Range(0, 50).Select(i => BedrockChunk($"{{\"type\":\"content_block_delta\",\"index\":{i}}}")).ToArray();
        var stream = messages.SelectMany(EventStreamEncoder.Encode).ToArray();
        using var decoder = new EventStreamDecoder();
        var count = 0;
        foreach (var b in stream)
        {
            decoder.Feed([b]);
            while (decoder.TryRead(out var m))
            {
                Assert.Equal("chunk", m.EventType);
                Assert.Equal("event", m.MessageType);
                count++;
            }

            Assert.True(decoder.BufferedByteCount < 200);
        }

        Assert.Equal(50, count);
    }

    [Fact]
    public void A_flipped_bit_anywhere_is_caught_by_one_of_the_two_checksums()
    {
        var frame = EventStreamEncoder.Encode(AllHeaderTypes());
        for (var i = 0; i < frame.Length; i++)
        {
            var corrupt = (byte[])frame.Clone();
            corrupt[i] ^= 0x10;
            var error = Assert.Throws<EventStreamException>(() =>
            {
                using var decoder = new EventStreamDecoder();
                decoder.Feed(corrupt);
                decoder.TryRead(out _);
            });
            Assert.Equal(i < 12 ? EventStreamErrorCode.PreludeChecksumMismatch : EventStreamErrorCode.MessageChecksumMismatch, error.Code);
        }
    }

    [Fact]
    public void A_stream_that_ends_inside_a_frame_is_truncated()
    {
        var frame = EventStreamEncoder.Encode(BedrockChunk("{}"));
        using var decoder = new EventStreamDecoder();
        decoder.Feed(frame.AsSpan(0, frame.Length - 1));

        Assert.False(decoder.TryRead(out _));
        var error = Assert.Throws<EventStreamException>(decoder.Complete);
        Assert.Equal(EventStreamErrorCode.Truncated, error.Code);
        Assert.Contains("ended inside a frame", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0xFFFFFFF0u, 0u, EventStreamErrorCode.MessageTooLong)]
    [InlineData((uint)EventStreamLimits.DefaultMaxMessageLength + 1, 0u, EventStreamErrorCode.MessageTooLong)]
    [InlineData(8u, 0u, EventStreamErrorCode.MessageTooShort)]
    [InlineData(100u, 90u, EventStreamErrorCode.InvalidHeader)]
    [InlineData(1_000_000u, 200_000u, EventStreamErrorCode.HeadersTooLong)]
    public void Absurd_lengths_with_a_valid_prelude_fail_at_once_without_a_large_allocation(uint total, uint headers, EventStreamErrorCode expected)
    {
        var prelude = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(prelude, total);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(4), headers);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), Crc32.Compute(prelude.AsSpan(0, 8)));
        using var decoder = new EventStreamDecoder();

        var before = GC.GetAllocatedBytesForCurrentThread();
        decoder.Feed(prelude);
        var error = Assert.Throws<EventStreamException>(() => decoder.TryRead(out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(expected, error.Code);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
        Assert.Throws<EventStreamException>(() => decoder.TryRead(out _));
    }

    [Fact]
    public void The_limit_is_configurable()
    {
        var frame = EventStreamEncoder.Encode(EventStreamMessage.Event("chunk", new byte[2000]));
        using var decoder = new EventStreamDecoder(new EventStreamLimits { MaxMessageLength = 1024 });
        decoder.Feed(frame);

        Assert.Equal(EventStreamErrorCode.MessageTooLong, Assert.Throws<EventStreamException>(() => decoder.TryRead(out _)).Code);
    }

    [Fact]
    public void A_header_that_runs_past_the_headers_section_is_invalid()
    {
        // name "x", type string, declared length 50 but only 2 bytes of value in the headers section.
        byte[] headers = [1, (byte)'x', 7, 0, 50, (byte)'a', (byte)'b'];
        var frame = RawFrame(headers, []);

        Assert.Equal(EventStreamErrorCode.InvalidHeader, Assert.Throws<EventStreamException>(() => EventStreamDecoder.Parse(frame)).Code);
        Assert.Equal(EventStreamErrorCode.InvalidHeader, Assert.Throws<EventStreamException>(() => EventStreamDecoder.Parse(RawFrame([1, (byte)'x', 42], []))).Code);
    }

    [Fact]
    public void Sequence_helpers_read_frames_across_segments_for_PipeReader_callers()
    {
        var messages = new[] { BedrockChunk("{\"a\":1}"), AllHeaderTypes(2), BedrockChunk("{\"b\":2}") };
        var bytes = messages.SelectMany(EventStreamEncoder.Encode).ToArray();
        var sequence = Segmented(bytes, 7);

        var frames = new List<byte[]>();
        var copy = sequence;
        while (EventStreamDecoder.TryReadFrame(ref copy, out var frame))
        {
            frames.Add(frame.ToArray());
        }

        Assert.Equal(3, frames.Count);
        Assert.Equal(0, copy.Length);
        Assert.Equal(bytes, frames.SelectMany(f => f).ToArray());

        var decoded = new List<EventStreamMessage>();
        var partial = sequence.Slice(0, bytes.Length - 3);
        while (EventStreamDecoder.TryReadMessage(ref partial, out var m))
        {
            decoded.Add(m);
        }

        Assert.Equal(2, decoded.Count);
        Assert.Equal(EventStreamEncoder.GetEncodedLength(messages[2]) - 3, partial.Length);
        AssertSameMessage(messages[1], decoded[1]);
    }

    [Fact]
    public async Task ReadAllAsync_decodes_a_stream_as_it_arrives()
    {
        var messages = Enumerable.Range(0, 20).Select(i => AllHeaderTypes(i)).ToArray();
        using var stream = new MemoryStream(messages.SelectMany(EventStreamEncoder.Encode).ToArray());

        var decoded = new List<EventStreamMessage>();
        await foreach (var m in EventStreamDecoder.ReadAllAsync(stream))
        {
            decoded.Add(m);
        }

        Assert.Equal(20, decoded.Count);
        AssertSameMessage(messages[19], decoded[19]);
    }

    [Fact]
    public void Encoder_writes_to_an_IBufferWriter()
    {
        var writer = new ArrayBufferWriter<byte>();
        EventStreamEncoder.Write(BedrockChunk("{}"), writer);
        EventStreamEncoder.Write(AllHeaderTypes(), writer);

        Assert.Equal(EventStreamEncoder.Encode(BedrockChunk("{}")).Concat(EventStreamEncoder.Encode(AllHeaderTypes())), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Encoder_rejects_names_and_values_the_format_cannot_carry()
    {
        Assert.Throws<ArgumentException>(() => EventStreamEncoder.Encode(new EventStreamMessage([new(new string('n', 256), "v")], default)));
        Assert.Throws<ArgumentException>(() => EventStreamEncoder.Encode(new EventStreamMessage([new(string.Empty, "v")], default)));
        Assert.Throws<ArgumentOutOfRangeException>(() => EventStreamHeaderValue.FromString(new string('v', 70_000)));
    }

    internal static byte[] RawFrame(byte[] headers, byte[] payload)
    {
        var total = 16 + headers.Length + payload.Length;
        var frame = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32.Compute(frame.AsSpan(0, 8)));
        headers.CopyTo(frame, 12);
        payload.CopyTo(frame, 12 + headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), Crc32.Compute(frame.AsSpan(0, total - 4)));
        return frame;
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var i = 0; i < bytes.Length; i += size)
        {
            var chunk = bytes.AsMemory(i, Math.Min(size, bytes.Length - i));
            if (first is null)
            {
                first = last = new Segment(chunk, 0);
            }
            else
            {
                last = last!.Append(chunk);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
