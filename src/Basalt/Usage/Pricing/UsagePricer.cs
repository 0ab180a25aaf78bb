using System.Collections.Concurrent;

namespace Basalt.Usage.Pricing;

/// <summary>
/// Prices token counts in decimal (never float; issue 10 item 2). Lookup order: configured override for the
/// served model (then the requested one), the catalogue's price, the configured fallback, else unpriced (cost 0,
/// flagged in reports). Costs are kept in nano-dollars (<see cref="NanosPerDollar"/>) in the stores: exact for
/// every price with up to three decimals per million tokens, and summable as 64-bit integers.
/// A gateway prices every request twice (the admission estimate and the record), so what <see cref="Resolve"/>
/// finds is remembered per (served, requested) pair: the catalogue lookup parses profile ids and ARNs and built a
/// new <see cref="TokenPrices"/> each time. Catalogue, overrides and fallback are fixed for the pricer's life, and the
/// memo is bounded because the requested model is whatever a client sent.
/// </summary>
public sealed class UsagePricer
{
    public const long NanosPerDollar = 1_000_000_000;
    private const decimal TokensPerMillion = 1_000_000m;

    private readonly Func<string, TokenPrices?> catalogue;
    private readonly IReadOnlyDictionary<string, TokenPrices> overrides;
    private readonly TokenPrices? fallback;
    private readonly ConcurrentDictionary<(string? Served, string Requested), (TokenPrices? Prices, PriceBasis Basis)> resolved = new();
    private const int MaxResolved = 4096;

    /// <param name="catalogue">Looks up a model id (client, foundation or profile id) in the model catalogue.</param>
    /// <param name="overrides">Per-model prices from configuration, keyed by any id the catalogue accepts.</param>
    /// <param name="fallback">Price for unknown models; null leaves them unpriced.</param>
    public UsagePricer(Func<string, TokenPrices?> catalogue, IReadOnlyDictionary<string, TokenPrices>? overrides = null, TokenPrices? fallback = null)
    {
        this.catalogue = catalogue;
        this.overrides = overrides ?? new Dictionary<string, TokenPrices>(StringComparer.OrdinalIgnoreCase);
        this.fallback = fallback;
    }

    /// <summary>
    /// Prices from the model catalogue (the one price table, shipped as data; contracts: ModelPrices), any id the
    /// catalogue resolves (client, foundation, geo/global profile, Mantle), with configured overrides and fallback.
    /// </summary>
    public static UsagePricer FromCatalogue(Basalt.Bedrock.Models.ModelCatalogue catalogue, IReadOnlyDictionary<string, TokenPrices>? overrides = null, TokenPrices? fallback = null) =>
        new(id => catalogue.Find(id)?.Prices is { } p
            ? new TokenPrices(p.InputPerMTok, p.OutputPerMTok, p.CacheReadPerMTok, p.CacheWrite5mPerMTok, p.CacheWrite1hPerMTok, p.Source)
            : null, overrides, fallback);

    /// <summary>A pricer that knows no models: every cost comes from <paramref name="fallback"/> or is unpriced.</summary>
    public static UsagePricer WithoutCatalogue(TokenPrices? fallback = null) => new(_ => null, null, fallback);

    public (TokenPrices? Prices, PriceBasis Basis) Resolve(string? modelServed, string modelRequested)
    {
        if (resolved.TryGetValue((modelServed, modelRequested), out var known))
        {
            return known;
        }

        var found = ResolveUncached(modelServed, modelRequested);
        if (resolved.Count < MaxResolved)
        {
            resolved.TryAdd((modelServed, modelRequested), found);
        }

        return found;
    }

    private (TokenPrices? Prices, PriceBasis Basis) ResolveUncached(string? modelServed, string modelRequested)
    {
        foreach (var id in Candidates(modelServed, modelRequested))
        {
            if (overrides.TryGetValue(id, out var o))
            {
                return (o, PriceBasis.Override);
            }
        }

        foreach (var id in Candidates(modelServed, modelRequested))
        {
            var p = catalogue(id);
            if (p is not null && p.IsComplete)
            {
                return (p, PriceBasis.Catalogue);
            }
        }

        return fallback is null ? (null, PriceBasis.Unpriced) : (fallback, PriceBasis.Fallback);
    }

    /// <summary>Cost of one request's tokens in USD.</summary>
    public (decimal Usd, PriceBasis Basis) Price(string? modelServed, string modelRequested, long input, long output, long cacheRead, long cacheWrite5m, long cacheWrite1h)
    {
        var (p, basis) = Resolve(modelServed, modelRequested);
        if (p is null)
        {
            return (0m, basis);
        }

        // A cache write without its own published price is billed as input: the conservative reading for a cap.
        var usd = (input * (p.InputPerMTok ?? 0m)
            + output * (p.OutputPerMTok ?? 0m)
            + cacheRead * (p.CacheReadPerMTok ?? p.InputPerMTok ?? 0m)
            + cacheWrite5m * (p.CacheWrite5mPerMTok ?? p.InputPerMTok ?? 0m)
            + cacheWrite1h * (p.CacheWrite1hPerMTok ?? p.CacheWrite5mPerMTok ?? p.InputPerMTok ?? 0m)) / TokensPerMillion;
        return (usd, basis);
    }

    public (decimal Usd, PriceBasis Basis) Price(UsageEvent e) =>
        Price(e.ModelServed, e.ModelRequested, e.InputTokens, e.OutputTokens, e.CacheReadTokens, e.CacheWrite5mTokens, e.CacheWrite1hTokens);

    /// <summary>Rounds USD up to whole nano-dollars so a cap never under-counts.</summary>
    public static long ToNanos(decimal usd) => (long)decimal.Ceiling(usd * NanosPerDollar);

    public static decimal FromNanos(long nanos) => nanos / (decimal)NanosPerDollar;

    private static IEnumerable<string> Candidates(string? served, string requested)
    {
        if (!string.IsNullOrEmpty(served))
        {
            yield return served;
        }

        if (!string.Equals(served, requested, StringComparison.Ordinal))
        {
            yield return requested;
        }
    }
}
