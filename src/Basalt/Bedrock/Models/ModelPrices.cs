namespace Basalt.Bedrock.Models;

/// <summary>
/// List prices in USD per million tokens of each kind. Null means unknown — never guessed (models.md: cache-write
/// prices and the <c>haiku_*</c> price codes carry no numbers in the client); an organization can supply them
/// through its catalogue overrides. <see cref="Source"/> says where the numbers come from.
/// </summary>
public sealed record ModelPrices(
    decimal? InputPerMTok,
    decimal? OutputPerMTok,
    decimal? CacheReadPerMTok,
    decimal? CacheWrite5mPerMTok,
    decimal? CacheWrite1hPerMTok,
    string? Source)
{
    /// <summary>No price known.</summary>
    public static ModelPrices Unknown { get; } = new(null, null, null, null, null, null);
}
