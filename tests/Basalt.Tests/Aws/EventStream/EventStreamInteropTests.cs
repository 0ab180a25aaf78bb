using System.Text;
using System.Text.Json;
using Basalt.Aws.EventStream;
using Basalt.Testing;

namespace Basalt.Tests.Aws.EventStream;

/// <summary>
/// Basalt's codec against the AWS SDKs' own: frames Basalt encodes decode in @smithy/eventstream-codec (AWS SDK
/// for JavaScript) and botocore (AWS SDK for Python), fed in random chunks; frames smithy encodes decode in Basalt.
/// </summary>
public sealed class EventStreamInteropTests
{
    private static readonly string[] SmithyTypes = ["boolean", "boolean", "byte", "short", "integer", "long", "binary", "string", "timestamp", "uuid"];

    private static EventStreamMessage[] Messages() =>
    [
        EventStreamCodecTests.AllHeaderTypes(0),
        EventStreamCodecTests.BedrockChunk("{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"héllo\"}}"),
        EventStreamMessage.Exception("modelStreamErrorException", "{\"message\":\"boom\",\"originalStatusCode\":500}"u8.ToArray()),
        EventStreamCodecTests.AllHeaderTypes(77),
        EventStreamMessage.Event("chunk", new byte[70_000]),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Smithy_decodes_what_Basalt_encodes(int seed)
    {
        var messages = Messages();
        var frames = Convert.ToBase64String(messages.SelectMany(EventStreamEncoder.Encode).ToArray());

        var run = await ExternalTools.RunNodeAsync("eventstream/smithy-codec.mjs", ["decode", seed.ToString()], stdin: frames);
        Assert.True(run.ExitCode == 0, run.ToString());

        using var doc = JsonDocument.Parse(run.Stdout);
        var decoded = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(messages.Length, decoded.Length);
        for (var i = 0; i < messages.Length; i++)
        {
            AssertMatches(messages[i], decoded[i], smithy: true);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task Botocore_decodes_what_Basalt_encodes(int seed)
    {
        var messages = Messages();
        var frames = Convert.ToBase64String(messages.SelectMany(EventStreamEncoder.Encode).ToArray());

        var run = await ProcessRunner.RunAsync(ExternalTools.Python(), [Path.Combine(RepoPaths.Interop, "eventstream", "botocore_decode.py"), seed.ToString()], stdin: frames);
        Assert.True(run.ExitCode == 0, run.ToString());

        using var doc = JsonDocument.Parse(run.Stdout);
        var decoded = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(messages.Length, decoded.Length);
        for (var i = 0; i < messages.Length; i++)
        {
            AssertMatches(messages[i], decoded[i], smithy: false);
        }
    }

    [Fact]
    public async Task Botocore_rejects_a_Basalt_frame_with_a_corrupted_checksum_as_Basalt_does()
    {
        var frame = EventStreamEncoder.Encode(EventStreamCodecTests.BedrockChunk("{}"));
        frame[^1] ^= 0xFF;

        var run = await ProcessRunner.RunAsync(ExternalTools.Python(), [Path.Combine(RepoPaths.Interop, "eventstream", "botocore_decode.py"), "1"], stdin: Convert.ToBase64String(frame));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("ChecksumMismatch", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(EventStreamErrorCode.MessageChecksumMismatch, Assert.Throws<EventStreamException>(() => EventStreamDecoder.Parse(frame)).Code);
    }

    [Fact]
    public async Task Basalt_decodes_what_Smithy_encodes_fed_in_random_chunks()
    {
        var messages = Messages();
        var json = new StringBuilder("[");
        foreach (var m in messages)
        {
            json.Append(json.Length > 1 ? "," : string.Empty).Append("{\"headers\":[");
            json.AppendJoin(',', m.Headers.Select((h, i) => $"{{\"name\":{JsonSerializer.Serialize(h.Name)},\"type\":\"{SmithyType(h.Value)}\",\"value\":{SmithyValue(h.Value)}}}"));
            json.Append("],\"payloadBase64\":\"").Append(Convert.ToBase64String(m.Payload.Span)).Append("\"}");
        }

        json.Append(']');
        var run = await ExternalTools.RunNodeAsync("eventstream/smithy-codec.mjs", ["encode"], stdin: json.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var bytes = Convert.FromBase64String(run.Stdout.Trim());

        Assert.Equal(messages.SelectMany(EventStreamEncoder.Encode).ToArray(), bytes);
        var random = new Random(9);
        using var decoder = new EventStreamDecoder();
        var decoded = new List<EventStreamMessage>();
        for (var i = 0; i < bytes.Length;)
        {
            var n = Math.Min(random.Next(1, 5000), bytes.Length - i);
            decoder.Feed(bytes.AsSpan(i, n));
            i += n;
            while (decoder.TryRead(out var m))
            {
                decoded.Add(m);
            }
        }

        decoder.Complete();
        Assert.Equal(messages.Length, decoded.Count);
        for (var i = 0; i < messages.Length; i++)
        {
            EventStreamCodecTests.AssertSameMessage(messages[i], decoded[i]);
        }
    }

    private static string SmithyType(EventStreamHeaderValue v) => v.Type switch
    {
        EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => "boolean",
        EventStreamHeaderType.Byte => "byte",
        EventStreamHeaderType.Short => "short",
        EventStreamHeaderType.Integer => "integer",
        EventStreamHeaderType.Long => "long",
        EventStreamHeaderType.ByteArray => "binary",
        EventStreamHeaderType.String => "string",
        EventStreamHeaderType.Timestamp => "timestamp",
        _ => "uuid",
    };

    private static string SmithyValue(EventStreamHeaderValue v) => v.Type switch
    {
        EventStreamHeaderType.BoolTrue => "true",
        EventStreamHeaderType.BoolFalse => "false",
        EventStreamHeaderType.Byte => v.AsByte().ToString(),
        EventStreamHeaderType.Short => v.AsInt16().ToString(),
        EventStreamHeaderType.Integer => v.AsInt32().ToString(),
        EventStreamHeaderType.Long => $"\"{v.AsInt64()}\"",
        EventStreamHeaderType.Timestamp => $"\"{v.AsTimestampMilliseconds()}\"",
        EventStreamHeaderType.ByteArray => $"\"{Convert.ToBase64String(v.AsBytes().Span)}\"",
        EventStreamHeaderType.String => JsonSerializer.Serialize(v.AsString()),
        _ => $"\"{v.AsUuid()}\"",
    };

    private static void AssertMatches(EventStreamMessage expected, JsonElement actual, bool smithy)
    {
        Assert.Equal(Convert.ToBase64String(expected.Payload.Span), actual.GetProperty("payloadBase64").GetString());
        var headers = actual.GetProperty("headers").EnumerateArray().ToArray();
        Assert.Equal(expected.Headers.Count, headers.Length);
        for (var i = 0; i < headers.Length; i++)
        {
            var (name, value) = expected.Headers[i];
            Assert.Equal(name, headers[i].GetProperty("name").GetString());
            var got = headers[i].GetProperty("value");
            if (smithy)
            {
                Assert.Equal(SmithyType(value), headers[i].GetProperty("type").GetString());
            }

            var expectedText = value.Type switch
            {
                EventStreamHeaderType.BoolTrue => "True",
                EventStreamHeaderType.BoolFalse => "False",
                EventStreamHeaderType.Uuid when !smithy => Convert.ToBase64String(value.AsUuid().ToByteArray(bigEndian: true)),
                EventStreamHeaderType.Byte or EventStreamHeaderType.Short or EventStreamHeaderType.Integer => SmithyValue(value),
                _ => SmithyValue(value).Trim('"'),
            };
            var gotText = got.ValueKind switch
            {
                JsonValueKind.True => "True",
                JsonValueKind.False => "False",
                JsonValueKind.Number => got.GetRawText(),
                _ => got.GetString(),
            };
            if (value.Type == EventStreamHeaderType.String)
            {
                Assert.Equal(value.AsString(), gotText);
            }
            else
            {
                Assert.Equal(expectedText, gotText);
            }
        }
    }
}
