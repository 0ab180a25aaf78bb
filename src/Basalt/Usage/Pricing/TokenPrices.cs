namespace Basalt.Usage.Pricing;

/// <summary>
/// USD per million tokens for each token kind (issue 10 item 2). The values come from the model catalogue's
/// <c>ModelPrices</c> (the one price table, shipped as data) or from an override in the gateway configuration;
/// this type only carries them. <c>null</c> means "not published": such a kind prices as zero and the record is
/// flagged, never guessed.
/// </summary>
public sealed record TokenPrices(
    decimal? InputPerMTok,
    decimal? OutputPerMTok,
    decimal? CacheReadPerMTok,
    decimal? CacheWrite5mPerMTok,
    decimal? CacheWrite1hPerMTok,
    string? Source)
{
    /// <summary>True when input and output are both known, the minimum for a cost that means something.</summary>
    public bool IsComplete => InputPerMTok is not null && OutputPerMTok is not null;
}
