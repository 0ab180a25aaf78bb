using System.Globalization;
using System.Text.RegularExpressions;
using Basalt.Bedrock.Models;
using Basalt.Testing;

namespace Basalt.Tests.Bedrock.Models;

/// <summary>
/// Configuration is data: no model id, family alias or price of the catalogue may be written into the C# source of
/// Basalt (src/) outside the catalogue loader (src/Basalt/Bedrock/Models). Everything that needs one reads
/// <see cref="ModelCatalogue"/>. This test searches the tree, comments included.
/// </summary>
public sealed partial class ModelIdsStayInTheCatalogueTests
{
    private static readonly string Loader = Path.Combine("src", "Basalt", "Bedrock", "Models") + Path.DirectorySeparatorChar;

    [Fact]
    public void No_model_id_alias_or_price_is_written_in_csharp_source_outside_the_catalogue_loader()
    {
        var catalogue = ModelCatalogue.Default;
        var ids = catalogue.Models
            .SelectMany(m => new[] { m.ClientId, m.FoundationModelId, m.MantleId, m.FoundationModelId is null ? null : ModelCatalogue.ResponseModelName(m.FoundationModelId), m.PriceCode })
            .OfType<string>().SelectMany(id => new[] { id, id.Replace(":", "%3A", StringComparison.Ordinal) }).Distinct(StringComparer.Ordinal).ToList();
        var families = string.Join('|', catalogue.Families.Select(Regex.Escape));
        // A literal that is an alias ("opus"), a list of aliases ("sonnet,haiku") or an alternation of them (opus|sonnet).
        var alias = new Regex($"\"(?:{families})(?:[,|](?:{families}))*\"|\\b(?:{families})\\|(?:{families})\\b", RegexOptions.CultureInvariant);
        var prices = catalogue.Models.SelectMany(m => new[] { m.Prices.InputPerMTok, m.Prices.OutputPerMTok, m.Prices.CacheReadPerMTok })
            .OfType<decimal>().ToHashSet();

        var findings = new List<string>();
        var files = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(RepoPaths.Root, f).StartsWith(Loader, StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(RepoPaths.Root, file);
            var lines = File.ReadAllLines(file);
            var pricesHere = lines.Any(l => l.Contains("PerMTok", StringComparison.Ordinal) || l.Contains("Price", StringComparison.Ordinal));
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                foreach (var id in ids.Where(id => ContainsId(line, id)))
                {
                    findings.Add($"{relative}:{i + 1}: model id '{id}'");
                }

                if (alias.Match(line) is { Success: true } a)
                {
                    findings.Add($"{relative}:{i + 1}: model alias {a.Value}");
                }

                if (pricesHere)
                {
                    foreach (Match literal in DecimalLiteral().Matches(line))
                    {
                        if (decimal.TryParse(literal.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && prices.Contains(value))
                        {
                            findings.Add($"{relative}:{i + 1}: price literal {literal.Value}");
                        }
                    }
                }
            }
        }

        Assert.True(findings.Count == 0, "Model data written in C# source; read it from ModelCatalogue instead:\n" + string.Join('\n', findings));
    }

    [Fact]
    public void The_scan_finds_what_it_looks_for()
    {
        // Guard against a scan that cannot fail: the catalogue's own ids occur in the loader's data file.
        var data = File.ReadAllText(Path.Combine(RepoPaths.Root, Loader, "claude-models.json"));
        var model = ModelCatalogue.Default.ClaudeCodeDefault!;
        Assert.True(ContainsId(data, model.FoundationModelId!));
        Assert.True(ContainsId($"var id = \"{model.ClientId}\";", model.ClientId));
        Assert.False(ContainsId($"var id = \"{model.ClientId}-x\";", model.ClientId + "-x-y"));
        Assert.False(ContainsId("claude-code", model.ClientId));
        Assert.Matches(DecimalLiteral(), "new ModelPrices(InputPerMTok: 5m, …)");
        Assert.Matches(DecimalLiteral(), "var input = 3.5m;");
        Assert.DoesNotMatch(DecimalLiteral(), "\"cache write 5m\"");
    }

    /// <summary>The id as a whole token (not the prefix of a longer id such as claude-opus-5 inside claude-opus-5-5).</summary>
    private static bool ContainsId(string text, string id)
    {
        var at = text.IndexOf(id, StringComparison.Ordinal);
        while (at >= 0)
        {
            var end = at + id.Length;
            var before = at == 0 ? ' ' : text[at - 1];
            var after = end >= text.Length ? ' ' : text[end];
            if (!IsIdChar(before) && !(IsIdChar(after) || (after == '-' && end + 1 < text.Length && char.IsAsciiLetterOrDigit(text[end + 1]))))
            {
                return true;
            }

            at = text.IndexOf(id, at + 1, StringComparison.Ordinal);
        }

        return false;
    }

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' or '%';

    // A decimal literal in code position (after an operator, '(' or ','), not "5m" inside a message.
    [GeneratedRegex(@"(?<=[=(,?:+\-*/]\s*)(?<value>\d+(?:\.\d+)?)[mM]\b")]
    private static partial Regex DecimalLiteral();
}
