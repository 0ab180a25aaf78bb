using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Bedrock.Models;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Translation;

namespace Basalt.Gateway.Tests.Translation;

public sealed class AnthropicToBedrockTests
{
    private static readonly GatewayModel Configured = new("claude-sonnet-4-5", [], null, null, [new GatewayRoute("u", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")],
        new Dictionary<string, GatewayRuleOverride>(), new Dictionary<string, GatewayRuleOverride>());

    private static FeatureRules Rules(string clientId, GatewayModel? configured = null)
        => new(ModelCatalogue.Default, ModelCatalogue.Default.Find(clientId), configured ?? Configured);

    private static (byte[] Body, TranslationSummary Summary) Translate(string json, string? betas, FeatureRules rules)
    {
        using var doc = JsonDocument.Parse(json);
        var output = new ArrayBufferWriter<byte>();
        var summary = AnthropicToBedrock.Translate(doc.RootElement, betas, rules, output);
        return (output.WrittenSpan.ToArray(), summary);
    }

    [Fact]
    public void Thinking_signatures_and_message_bytes_survive_byte_for_byte()
    {
        // Escapes, odd spacing and number spellings that a re-serializer would normalise.
        var messages = """[ {"role":"user","content":"hi \u00e9\/x"},{"role":"assistant","content":[{"type":"thinking","thinking":"a\u002bb  ","signature":"EqQBCkYIBxgCKkD+/\u003d\u003d=="},{"type":"text","text":"1.50e3"}]} ]""";
        var json = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1.0e3,\"stream\":true,\"messages\":" + messages + "}";

        var (body, _) = Translate(json, null, Rules("claude-sonnet-4-5"));

        var text = Encoding.UTF8.GetString(body);
        Assert.Contains("\"messages\":" + messages, text, StringComparison.Ordinal);
        Assert.Contains("\"max_tokens\":1.0e3", text, StringComparison.Ordinal);
        var node = JsonNode.Parse(body)!.AsObject();
        Assert.False(node.ContainsKey("model"));
        Assert.False(node.ContainsKey("stream"));
        Assert.Equal("bedrock-2023-05-31", (string)node["anthropic_version"]!);
    }

    [Fact]
    public void Claude_code_anthropic_mode_request_becomes_a_bedrock_body_per_the_catalogue_rules()
    {
        var capture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "claude-code-2.1.332", "anthropic-mode", "003.json")))!;
        var json = capture["body"]!.ToJsonString();
        var betas = (string)capture["headers"]!["anthropic-beta"]!;

        var (body, summary) = Translate(json, betas, Rules("claude-sonnet-4-5"));

        var node = JsonNode.Parse(body)!.AsObject();
        var sent = node["anthropic_beta"]!.AsArray().Select(b => (string)b!).ToList();
        Assert.Contains("interleaved-thinking-2025-05-14", sent);
        Assert.Contains("tool-search-tool-2025-10-19", sent);           // advanced-tool-use mapped (gateway.md §1.4)
        Assert.DoesNotContain("advanced-tool-use-2025-11-20", sent);
        Assert.DoesNotContain("claude-code-20250219", sent);           // header-only client beta
        Assert.DoesNotContain("context-management-2025-06-27", sent);
        Assert.False(node.ContainsKey("context_management"));          // field stripped with its beta
        Assert.False(node.ContainsKey("output_config"));
        Assert.Contains("context_management", summary.Stripped);
        Assert.Equal("enabled", (string)node["thinking"]!["type"]!);  // adaptive → enabled on a model without it
        // Everything else is the bytes the client sent.
        using var original = JsonDocument.Parse(json);
        Assert.Equal(original.RootElement.GetProperty("messages").GetRawText(), JsonDocument.Parse(body).RootElement.GetProperty("messages").GetRawText());
        Assert.Equal(original.RootElement.GetProperty("system").GetRawText(), JsonDocument.Parse(body).RootElement.GetProperty("system").GetRawText());
        Assert.Equal(original.RootElement.GetProperty("tools").GetArrayLength(), node["tools"]!.AsArray().Count);
    }

    [Fact]
    public void A_model_that_takes_adaptive_thinking_and_output_config_keeps_them()
    {
        var json = """{"model":"claude-opus-5-5","max_tokens":128000,"thinking":{"type":"adaptive","display":"omitted"},"output_config":{"effort":"medium"},"messages":[{"role":"user","content":"x"}]}""";

        var (body, _) = Translate(json, "thinking-token-count-2026-05-13,effort-2025-11-24", Rules("claude-opus-5-5"));

        var node = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("""{"type":"adaptive","display":"omitted"}""", node["thinking"]!.ToJsonString());
        Assert.Equal("""{"effort":"medium"}""", node["output_config"]!.ToJsonString());
        Assert.Equal(["thinking-token-count-2026-05-13"], node["anthropic_beta"]!.AsArray().Select(b => (string)b!));
    }

    [Fact]
    public void A_configured_reject_rule_refuses_the_request_naming_the_beta_and_the_rule_source()
    {
        var configured = Configured with { BetaOverrides = new Dictionary<string, GatewayRuleOverride> { ["fast-mode-2026-02-01"] = new("fast-mode-2026-02-01", "reject", null) } };
        var json = """{"model":"m","max_tokens":10,"messages":[]}""";

        var e = Assert.Throws<TranslationError>(() => Translate(json, "fast-mode-2026-02-01", Rules("claude-sonnet-4-5", configured)));

        Assert.Contains("fast-mode-2026-02-01", e.Message, StringComparison.Ordinal);
        Assert.Contains("gateway configuration models.claude-sonnet-4-5.betas", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_fields_bedrock_rejects_are_stripped_and_the_rest_of_the_tool_is_kept()
    {
        var json = """{"model":"m","max_tokens":10,"messages":[],"tools":[{"name":"a","strict":true,"eager_input_streaming":true,"input_schema":{"type":"object"}},{"name":"b","input_schema":{"type":"object"}}]}""";

        var (body, summary) = Translate(json, null, Rules("claude-sonnet-4-5"));

        var tools = JsonNode.Parse(body)!["tools"]!.AsArray();
        Assert.Equal("""{"name":"a","input_schema":{"type":"object"}}""", tools[0]!.ToJsonString());
        Assert.Equal("""{"name":"b","input_schema":{"type":"object"}}""", tools[1]!.ToJsonString());
        Assert.Contains("tools[].strict", summary.Stripped);
    }
}
