namespace Basalt.Bedrock.Models;

/// <summary>What the gateway does with an Anthropic beta or body field on its way to a Bedrock model (gateway.md §1.4).</summary>
public enum FeatureAction
{
    /// <summary>Forward unchanged.</summary>
    Pass,

    /// <summary>Remove it (Bedrock would answer 400 "invalid beta flag" or "Extra inputs are not permitted").</summary>
    Strip,

    /// <summary>Replace it with <see cref="FeatureRule.MapTo"/> (e.g. <c>advanced-tool-use-2025-11-20</c> → <c>tool-search-tool-2025-10-19</c>).</summary>
    Map,

    /// <summary>Refuse the request with a clear error instead of sending something Bedrock cannot serve.</summary>
    Reject,
}
