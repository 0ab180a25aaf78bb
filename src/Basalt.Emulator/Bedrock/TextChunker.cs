namespace Basalt.Emulator.Bedrock;

/// <summary>
/// Splits generated text into stream deltas of about four tokens (16 UTF-8 bytes, <see cref="TokenCounter"/>),
/// cutting after whitespace when possible and never inside a surrogate pair, so deltas look like a model's.
/// </summary>
internal static class TextChunker
{
    public const int TargetBytes = 16;

    public static IEnumerable<string> Split(string text)
    {
        var start = 0;
        var bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsSurrogate(c) ? 2 : 3;
            var atBoundary = !char.IsHighSurrogate(c);
            if (atBoundary && ((bytes >= TargetBytes && char.IsWhiteSpace(c)) || bytes >= TargetBytes * 2))
            {
                yield return text[start..(i + 1)];
                start = i + 1;
                bytes = 0;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}
