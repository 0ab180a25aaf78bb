namespace Basalt.ManagedConfig.Formats;

/// <summary>Byte-order marks as bytes (a <c>"\xFF"u8</c> literal would be the UTF-8 encoding of U+00FF, not the byte).</summary>
internal static class ByteOrderMarks
{
    public static ReadOnlySpan<byte> Utf8 => [0xEF, 0xBB, 0xBF];

    public static ReadOnlySpan<byte> Utf16LE => [0xFF, 0xFE];

    public static ReadOnlySpan<byte> Utf16BE => [0xFE, 0xFF];
}
