using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Parses Apple's binary property list (<c>bplist00</c>), the form macOS itself writes to
/// <c>/Library/Managed Preferences</c>. Every offset and count is bounds-checked and the object graph is walked
/// with a depth and node budget, because a hostile file can make objects refer to themselves.
/// </summary>
internal static class BinaryPlistParser
{
    public static ReadOnlySpan<byte> Magic => "bplist00"u8;

    private const int MaxNodes = 1_000_000;

    public static PlistNode? Parse(ReadOnlySpan<byte> bytes, DiagnosticBag diagnostics)
    {
        var state = new State(bytes.ToArray());
        try
        {
            return state.ParseDocument();
        }
        catch (FormatException ex)
        {
            diagnostics.Error(FormatDiagnosticCodes.BinaryPlist, 0, "Malformed binary property list: " + ex.Message,
                "Re-export the file (e.g. `plutil -convert xml1 file.plist` on macOS) or write it again from the MDM.");
            return null;
        }
    }

    private sealed class State(byte[] data)
    {
        private int _offsetSize;
        private int _refSize;
        private long _objectCount;
        private long _offsetTable;
        private int _nodes;

        public PlistNode ParseDocument()
        {
            if (data.Length < 8 + 32 || !data.AsSpan().StartsWith(Magic))
            {
                throw new FormatException("the file is too short for a bplist00 header and trailer");
            }

            var trailer = data.AsSpan(data.Length - 32);
            _offsetSize = trailer[6];
            _refSize = trailer[7];
            _objectCount = (long)BinaryPrimitives.ReadUInt64BigEndian(trailer[8..]);
            var top = (long)BinaryPrimitives.ReadUInt64BigEndian(trailer[16..]);
            _offsetTable = (long)BinaryPrimitives.ReadUInt64BigEndian(trailer[24..]);
            if (_offsetSize is < 1 or > 8 || _refSize is < 1 or > 8)
            {
                throw new FormatException($"invalid offset size {_offsetSize} or reference size {_refSize} in the trailer");
            }

            if (_objectCount <= 0 || _objectCount > data.Length || top < 0 || top >= _objectCount)
            {
                throw new FormatException("the trailer's object count or top object is out of range");
            }

            if (_offsetTable < 8 || _offsetTable + (_objectCount * _offsetSize) > data.Length - 32)
            {
                throw new FormatException("the offset table lies outside the file");
            }

            return ParseObject(top, 0);
        }

        private PlistNode ParseObject(long index, int depth)
        {
            if (++_nodes > MaxNodes)
            {
                throw new FormatException($"more than {MaxNodes} values (objects referring to themselves?)");
            }

            if (depth > XmlPlistParser.MaxDepth)
            {
                throw new FormatException($"values nested more than {XmlPlistParser.MaxDepth} levels deep (a reference cycle?)");
            }

            if (index < 0 || index >= _objectCount)
            {
                throw new FormatException($"object reference {index} is out of range");
            }

            var offset = ReadSized(_offsetTable + (index * _offsetSize), _offsetSize);
            if (offset < 8 || offset >= _offsetTable)
            {
                throw new FormatException($"object {index} starts outside the object area");
            }

            var marker = data[offset];
            var high = marker >> 4;
            var low = marker & 0x0F;
            var pos = offset + 1;
            switch (high)
            {
                case 0x0:
                    return marker switch
                    {
                        0x08 => new PlistBoolean(false, 0),
                        0x09 => new PlistBoolean(true, 0),
                        _ => throw new FormatException($"unsupported marker 0x{marker:X2}"),
                    };
                case 0x1:
                {
                    var size = 1 << low;
                    if (size > 16)
                    {
                        throw new FormatException("integer wider than 128 bits");
                    }

                    Need(pos, size);
                    string text;
                    if (size == 16)
                    {
                        text = new System.Numerics.BigInteger(data.AsSpan((int)pos, 16), isUnsigned: false, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
                    }
                    else if (size == 8)
                    {
                        text = BinaryPrimitives.ReadInt64BigEndian(data.AsSpan((int)pos)).ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        text = ReadSized(pos, size).ToString(CultureInfo.InvariantCulture);
                    }

                    return new PlistNumber(text, IsInteger: true, 0);
                }

                case 0x2:
                {
                    Need(pos, 1 << low);
                    double value = low switch
                    {
                        2 => BinaryPrimitives.ReadSingleBigEndian(data.AsSpan((int)pos)),
                        3 => BinaryPrimitives.ReadDoubleBigEndian(data.AsSpan((int)pos)),
                        _ => throw new FormatException("real that is neither 4 nor 8 bytes"),
                    };
                    return new PlistNumber(value.ToString("R", CultureInfo.InvariantCulture), IsInteger: false, 0);
                }

                case 0x3:
                {
                    Need(pos, 8);
                    var seconds = BinaryPrimitives.ReadDoubleBigEndian(data.AsSpan((int)pos));
                    var text = double.IsFinite(seconds) && Math.Abs(seconds) < 1e11
                        ? new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                        : seconds.ToString("R", CultureInfo.InvariantCulture);
                    return new PlistOther("date", text, 0);
                }

                case 0x4:
                {
                    var count = ReadCount(low, ref pos);
                    Need(pos, count);
                    return new PlistOther("data", Convert.ToBase64String(data, (int)pos, (int)count), 0);
                }

                case 0x5:
                {
                    var count = ReadCount(low, ref pos);
                    Need(pos, count);
                    return new PlistString(Encoding.ASCII.GetString(data, (int)pos, (int)count), 0);
                }

                case 0x6:
                {
                    var count = ReadCount(low, ref pos);
                    Need(pos, count * 2);
                    return new PlistString(Encoding.BigEndianUnicode.GetString(data, (int)pos, (int)(count * 2)), 0);
                }

                case 0x8:
                    return new PlistOther("uid", ReadSized(pos, low + 1).ToString(CultureInfo.InvariantCulture), 0);
                case 0xA:
                {
                    var count = ReadCount(low, ref pos);
                    Need(pos, count * _refSize);
                    var items = new List<PlistNode>((int)Math.Min(count, 1024));
                    for (var i = 0; i < count; i++)
                    {
                        items.Add(ParseObject(ReadSized(pos + (i * _refSize), _refSize), depth + 1));
                    }

                    return new PlistArray(items, 0);
                }

                case 0xD:
                {
                    var count = ReadCount(low, ref pos);
                    Need(pos, count * 2 * _refSize);
                    var members = new LastWinsList<PlistMember>();
                    for (var i = 0; i < count; i++)
                    {
                        var key = ParseObject(ReadSized(pos + (i * _refSize), _refSize), depth + 1);
                        if (key is not PlistString keyString)
                        {
                            throw new FormatException("a dictionary key is not a string");
                        }

                        var value = ParseObject(ReadSized(pos + ((count + i) * _refSize), _refSize), depth + 1);
                        members.Add(keyString.Value, new PlistMember(keyString.Value, 0, value));
                    }

                    return new PlistDict(members.ToList(), 0);
                }

                default:
                    throw new FormatException($"unsupported object type 0x{marker:X2}");
            }
        }

        private long ReadCount(int low, ref long pos)
        {
            if (low != 0xF)
            {
                return low;
            }

            Need(pos, 1);
            var marker = data[pos];
            if (marker >> 4 != 0x1 || (marker & 0x0F) > 3)
            {
                throw new FormatException("a length is not encoded as an integer");
            }

            var size = 1 << (marker & 0x0F);
            var count = ReadSized(pos + 1, size);
            pos += 1 + size;
            if (count < 0 || count > data.Length)
            {
                throw new FormatException("a length is larger than the file");
            }

            return count;
        }

        private long ReadSized(long pos, int size)
        {
            Need(pos, size);
            long value = 0;
            for (var i = 0; i < size; i++)
            {
                value = (value << 8) | data[pos + i];
            }

            return value;
        }

        private void Need(long pos, long count)
        {
            if (pos < 0 || count < 0 || pos + count > data.Length)
            {
                throw new FormatException("a value runs past the end of the file (truncated?)");
            }
        }
    }
}
