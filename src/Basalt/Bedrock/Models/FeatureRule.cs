namespace Basalt.Bedrock.Models;

/// <summary>
/// One row of the gateway's translation table: a beta (keyed by its <c>anthropic-beta</c> value) or a body field
/// (keyed by path: <c>context_management</c>, <c>tools[].strict</c>, <c>thinking.type=adaptive</c>…). The name
/// <c>*</c> is the default for names without a row. <see cref="Source"/> cites the spec section the row rests on.
/// </summary>
public sealed record FeatureRule(string Name, FeatureAction Action, string? MapTo, string Source)
{
    /// <summary>The name of the row that applies to every name without its own row.</summary>
    public const string Wildcard = "*";
}
