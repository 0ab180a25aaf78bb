using System.Globalization;
using System.Text.Json;
using Google.Protobuf;

namespace Basalt.Usage.Ingest;

/// <summary>
/// Reads OTLP/HTTP log exports (<c>ExportLogsServiceRequest</c>) in both encodings the devices use
/// (cowork3p-reference.md §9.1: <c>http/protobuf</c> by default, <c>http/json</c> for the desktop stream).
/// Protobuf is decoded field by field with Google.Protobuf's <see cref="CodedInputStream"/> against the OTLP v1
/// field numbers (logs.proto, common.proto, resource.proto); unknown fields are skipped, as protobuf requires.
/// Only what usage needs is kept; message bodies are kept only as the event name, never as content.
/// </summary>
internal static class OtlpLogsReader
{
    public static List<OtlpLogRecord> Read(ReadOnlySpan<byte> body, string? contentType)
    {
        var json = contentType is not null && contentType.Contains("json", StringComparison.OrdinalIgnoreCase);
        return json ? ReadJson(body) : ReadProtobuf(body.ToArray());
    }

    private static List<OtlpLogRecord> ReadProtobuf(byte[] body)
    {
        var list = new List<OtlpLogRecord>();
        var input = new CodedInputStream(body);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == Tag(1, WireFormat.WireType.LengthDelimited))
            {
                ReadResourceLogs(input.ReadBytes(), list);
            }
            else
            {
                input.SkipLastField();
            }
        }

        return list;
    }

    private static void ReadResourceLogs(ByteString bytes, List<OtlpLogRecord> list)
    {
        var resource = new Dictionary<string, string?>(StringComparer.Ordinal);
        var scopes = new List<ByteString>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    // Resource { repeated KeyValue attributes = 1; }
                    var r = input.ReadBytes().CreateCodedInput();
                    uint rt;
                    while ((rt = r.ReadTag()) != 0)
                    {
                        if (rt == Tag(1, WireFormat.WireType.LengthDelimited))
                        {
                            var kv = ReadKeyValue(r.ReadBytes());
                            resource[kv.Key] = kv.Value;
                        }
                        else
                        {
                            r.SkipLastField();
                        }
                    }

                    break;
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    scopes.Add(input.ReadBytes());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        foreach (var scope in scopes)
        {
            // ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; }
            var s = scope.CreateCodedInput();
            uint st;
            while ((st = s.ReadTag()) != 0)
            {
                if (st == Tag(2, WireFormat.WireType.LengthDelimited))
                {
                    list.Add(ReadLogRecord(s.ReadBytes(), resource));
                }
                else
                {
                    s.SkipLastField();
                }
            }
        }
    }

    private static OtlpLogRecord ReadLogRecord(ByteString bytes, Dictionary<string, string?> resource)
    {
        // LogRecord { fixed64 time_unix_nano = 1; fixed64 observed_time_unix_nano = 11; AnyValue body = 5;
        //             repeated KeyValue attributes = 6; string event_name = 12; ... }
        ulong time = 0, observed = 0;
        string? eventName = null, body = null;
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal);
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (1, WireFormat.WireType.Fixed64):
                    time = input.ReadFixed64();
                    break;
                case (11, WireFormat.WireType.Fixed64):
                    observed = input.ReadFixed64();
                    break;
                case (5, WireFormat.WireType.LengthDelimited):
                    body = ReadAnyValue(input.ReadBytes());
                    break;
                case (6, WireFormat.WireType.LengthDelimited):
                    var kv = ReadKeyValue(input.ReadBytes());
                    attributes[kv.Key] = kv.Value;
                    break;
                case (12, WireFormat.WireType.LengthDelimited):
                    eventName = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new OtlpLogRecord(time != 0 ? time : observed, eventName, body, attributes, resource);
    }

    private static OtlpAttribute ReadKeyValue(ByteString bytes)
    {
        string key = string.Empty;
        string? value = null;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == Tag(1, WireFormat.WireType.LengthDelimited))
            {
                key = input.ReadString();
            }
            else if (tag == Tag(2, WireFormat.WireType.LengthDelimited))
            {
                value = ReadAnyValue(input.ReadBytes());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return new OtlpAttribute(key, value);
    }

    private static string? ReadAnyValue(ByteString bytes)
    {
        // AnyValue { oneof { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ... } }
        var input = bytes.CreateCodedInput();
        uint tag;
        string? value = null;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (1, WireFormat.WireType.LengthDelimited):
                    value = input.ReadString();
                    break;
                case (2, WireFormat.WireType.Varint):
                    value = input.ReadBool() ? "true" : "false";
                    break;
                case (3, WireFormat.WireType.Varint):
                    value = input.ReadInt64().ToString(CultureInfo.InvariantCulture);
                    break;
                case (4, WireFormat.WireType.Fixed64):
                    value = input.ReadDouble().ToString("R", CultureInfo.InvariantCulture);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return value;
    }

    private static uint Tag(int field, WireFormat.WireType type) => WireFormat.MakeTag(field, type);

    private static List<OtlpLogRecord> ReadJson(ReadOnlySpan<byte> body)
    {
        // OTLP/JSON: lowerCamelCase field names, 64-bit integers as strings (OTLP spec "JSON Protobuf Encoding").
        var list = new List<OtlpLogRecord>();
        using var doc = JsonDocument.Parse(body.ToArray());
        if (!doc.RootElement.TryGetProperty("resourceLogs", out var resourceLogs) || resourceLogs.ValueKind != JsonValueKind.Array)
        {
            return list;
        }

        foreach (var rl in resourceLogs.EnumerateArray())
        {
            var resource = rl.TryGetProperty("resource", out var r) && r.TryGetProperty("attributes", out var ra) ? JsonAttributes(ra) : new Dictionary<string, string?>(StringComparer.Ordinal);
            if (!rl.TryGetProperty("scopeLogs", out var scopeLogs))
            {
                continue;
            }

            foreach (var sl in scopeLogs.EnumerateArray())
            {
                if (!sl.TryGetProperty("logRecords", out var records))
                {
                    continue;
                }

                foreach (var lr in records.EnumerateArray())
                {
                    var time = lr.TryGetProperty("timeUnixNano", out var t) ? JsonUInt64(t) : 0;
                    if (time == 0 && lr.TryGetProperty("observedTimeUnixNano", out var o))
                    {
                        time = JsonUInt64(o);
                    }

                    list.Add(new OtlpLogRecord(
                        time,
                        lr.TryGetProperty("eventName", out var en) ? en.GetString() : null,
                        lr.TryGetProperty("body", out var b) ? JsonAnyValue(b) : null,
                        lr.TryGetProperty("attributes", out var a) ? JsonAttributes(a) : new Dictionary<string, string?>(StringComparer.Ordinal),
                        resource));
                }
            }
        }

        return list;
    }

    private static Dictionary<string, string?> JsonAttributes(JsonElement array)
    {
        var d = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (array.ValueKind != JsonValueKind.Array)
        {
            return d;
        }

        foreach (var kv in array.EnumerateArray())
        {
            if (kv.TryGetProperty("key", out var k) && k.GetString() is { } key)
            {
                d[key] = kv.TryGetProperty("value", out var v) ? JsonAnyValue(v) : null;
            }
        }

        return d;
    }

    private static string? JsonAnyValue(JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var p in v.EnumerateObject())
        {
            return p.Name switch
            {
                "stringValue" => p.Value.GetString(),
                "boolValue" => p.Value.ValueKind == JsonValueKind.True ? "true" : "false",
                "intValue" => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText(),
                "doubleValue" => p.Value.GetRawText(),
                _ => null,
            };
        }

        return null;
    }

    private static ulong JsonUInt64(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? ulong.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetUInt64();
}
