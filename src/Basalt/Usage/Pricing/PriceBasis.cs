namespace Basalt.Usage.Pricing;

/// <summary>Where a record's cost came from; reports flag everything but <see cref="Catalogue"/> and <see cref="Override"/>.</summary>
public enum PriceBasis
{
    /// <summary>The model catalogue's published price.</summary>
    Catalogue,

    /// <summary>A per-model price from the gateway configuration.</summary>
    Override,

    /// <summary>The model is unknown (or has no published price): the configured fallback price applied.</summary>
    Fallback,

    /// <summary>Unknown model and no fallback configured: cost 0, flagged.</summary>
    Unpriced,
}
