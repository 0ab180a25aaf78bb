using Basalt.Deployment.Secrets;
using Basalt.Gateway.Configuration;

namespace Basalt.Gateway.Tests.Configuration;

public sealed class GatewayConfigReaderTests
{
    private static readonly Dictionary<string, string> Env = new() { ["AKID"] = "AKIAEXAMPLEEXAMPLE12", ["SECRET"] = "s3cr3t-value-never-printed", ["KEY"] = "bsk_test_key" };

    private static GatewayConfigResult Parse(string yaml) => GatewayConfigReader.Parse(yaml, "gw.yaml", new SecretReferenceResolver("/tmp", n => Env.GetValueOrDefault(n)));

    private const string Valid = """
        gateway:
          listen: [ "http://127.0.0.1:8080" ]
          upstreams:
            east:
              region: us-east-1
              credentials: { source: static, accessKeyId: "${env:AKID}", secretAccessKey: "${env:SECRET}" }
          models:
            claude-sonnet-4-5:
              aliases: [sonnet]
              routes: [ { upstream: east, model: us.anthropic.claude-sonnet-4-5-20250929-v1:0 } ]
          groups:
            everyone: { models: ["*"] }
          apiKeys:
            - { id: k1, user: alice, groups: [everyone], key: "${env:KEY}" }
        """;

    [Fact]
    public void A_valid_section_yields_options_with_the_key_hashed()
    {
        var result = Parse(Valid);

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        var options = result.Options!;
        Assert.Equal("us-east-1", options.Upstreams["east"].Region);
        Assert.Equal(["sonnet"], options.Models[0].Aliases);
        var key = Assert.Single(options.ApiKeys);
        Assert.Equal(GatewayConfigReader.HashKey("bsk_test_key"), Convert.ToHexStringLower(key.Sha256));
        Assert.DoesNotContain("bsk_test_key", key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_upstream_is_reported_at_its_line_and_column_with_a_fix()
    {
        var result = Parse(Valid.Replace("upstream: east", "upstream: eastt", StringComparison.Ordinal));

        Assert.True(result.HasErrors);
        var d = Assert.Single(result.Diagnostics, d => d.Code == GatewayDiagnosticCodes.UnknownUpstream);
        Assert.StartsWith("gw.yaml:10:", d.ToString(), StringComparison.Ordinal);
        Assert.Contains("error BSL8011", d.ToString(), StringComparison.Ordinal);
        Assert.Contains("Fix: did you mean 'east'?", d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_inline_secret_is_refused_without_echoing_it()
    {
        var result = Parse(Valid.Replace("\"${env:SECRET}\"", "wJalrXUtnFEMIinline", StringComparison.Ordinal));

        Assert.True(result.HasErrors);
        var text = string.Join('\n', result.Diagnostics);
        Assert.Contains("BSL7012", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMIinline", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_region_unknown_key_and_unknown_group_model_are_all_reported_at_once()
    {
        var yaml = Valid.Replace("region: us-east-1", "region: moon-1", StringComparison.Ordinal)
            .Replace("everyone: { models: [\"*\"] }", "everyone: { models: [claude-sonet-4-5] }", StringComparison.Ordinal)
            .Replace("  groups:", "  grups: {}\n  groups:", StringComparison.Ordinal);

        var result = Parse(yaml);

        Assert.Null(result.Options);
        var codes = result.Diagnostics.Select(d => d.Code).ToList();
        Assert.Contains(GatewayDiagnosticCodes.BadRegion, codes);
        Assert.Contains(GatewayDiagnosticCodes.UnknownGroupModel, codes);
        Assert.Contains("BSL7004", codes);
        Assert.Contains(result.Diagnostics, d => d.Fix == "did you mean 'claude-sonnet-4-5'?");
    }

    [Fact]
    public void A_key_given_as_sha256_is_accepted_and_a_malformed_hash_is_not()
    {
        var hash = GatewayConfigReader.HashKey("another-key");
        var good = Parse(Valid.Replace("key: \"${env:KEY}\"", $"sha256: {hash}", StringComparison.Ordinal));
        var bad = Parse(Valid.Replace("key: \"${env:KEY}\"", "sha256: abc", StringComparison.Ordinal));

        Assert.False(good.HasErrors, string.Join('\n', good.Diagnostics));
        Assert.Contains(bad.Diagnostics, d => d.Code == GatewayDiagnosticCodes.BadApiKeyHash);
    }

    [Fact]
    public void A_file_with_only_the_gateway_keys_is_read_like_the_section()
    {
        var standalone = string.Join('\n', Valid.Split('\n').Skip(1).Select(l => l.Length >= 2 ? l[2..] : l));

        var result = Parse(standalone);

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
    }
}
