using System.Buffers;
using System.Buffers.Binary;

namespace Basalt.Aws.EventStream;

/// <summary>
/// CRC-32 with the IEEE 802.3 / zlib polynomial (reflected 0xEDB88320), as the AWS event-stream prelude and
/// message checksums use. System.IO.Hashing is not in the BCL nor in this repository's package feed, so this is
/// a slicing-by-8 table implementation checked against zlib's values (tests/Basalt.Tests/Aws/EventStream).
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    public static uint Compute(in ReadOnlySequence<byte> data)
    {
        uint crc = 0;
        foreach (var segment in data)
        {
            crc = Append(crc, segment.Span);
        }

        return crc;
    }

    /// <summary>Continues a CRC: <c>Append(Compute(a), b) == Compute(a + b)</c>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table;
        crc = ~crc;
        while (data.Length >= 8)
        {
            var one = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var two = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = table[(7 * 256) + (one & 0xFF)]
                ^ table[(6 * 256) + ((one >> 8) & 0xFF)]
                ^ table[(5 * 256) + ((one >> 16) & 0xFF)]
                ^ table[(4 * 256) + (one >> 24)]
                ^ table[(3 * 256) + (two & 0xFF)]
                ^ table[(2 * 256) + ((two >> 8) & 0xFF)]
                ^ table[256 + ((two >> 16) & 0xFF)]
                ^ table[two >> 24];
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        for (var i = 0; i < 256; i++)
        {
            for (var slice = 1; slice < 8; slice++)
            {
                var previous = table[((slice - 1) * 256) + i];
                table[(slice * 256) + i] = (previous >> 8) ^ table[previous & 0xFF];
            }
        }

        return table;
    }
}
