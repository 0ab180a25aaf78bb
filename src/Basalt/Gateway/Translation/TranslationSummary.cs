namespace Basalt.Gateway.Translation;

/// <summary>What a translation did: the betas sent in <c>anthropic_beta</c> and what was stripped (for the request log).</summary>
internal sealed record TranslationSummary(IReadOnlyList<string> Betas, IReadOnlyList<string> Stripped);
