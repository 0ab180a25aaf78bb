using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Basalt.Usage.Stores;

/// <summary>
/// The gateway's request ids, time-ordered for the store: <c>req_bsl</c>, the Unix time in milliseconds as 12 hex
/// digits, then 64 random bits as 16 hex digits. The id is the primary key of <c>usage_records</c> (SQLite and
/// PostgreSQL B-trees alike): wholly random ids put every insert at a random leaf of that index, which at millions of
/// records (hundreds of MB of index) is a page read and a dirty page per record; ids that grow with time append at the
/// right edge, as the time index does. The random part keeps ids unique across replicas and unguessable
/// (2^64 per millisecond). Lowercase hex sorts as the numbers do, so text order is time order.
/// </summary>
public static class UsageRequestId
{
    public const string Prefix = "req_bsl";

    public static string New(long unixMilliseconds)
    {
        Span<byte> bytes = stackalloc byte[14];
        // 48 bits of time (big-endian, so the hex reads in order), then 8 random bytes.
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], unixMilliseconds << 16);
        RandomNumberGenerator.Fill(bytes[6..]);
        return string.Concat(Prefix, Convert.ToHexStringLower(bytes));
    }
}
