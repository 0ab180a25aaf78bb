using System.Text;
using System.Text.Json;
using Basalt.Policy.Routing;

namespace Basalt.Tests.Policy.Routing;

public sealed class RoutingPolicyTests
{
    private static readonly RoutingPolicy Auto = new(
        [new RoutedAlias("auto", [
            new RoutingRule(new RoutingCondition(Thinking: true), "opus"),
            new RoutingRule(new RoutingCondition(MinInputTokens: 20_000), "opus"),
            new RoutingRule(new RoutingCondition(MaxInputTokens: 2_000, Tools: false), "haiku")], "sonnet")],
        [new ModelRewrite("opus", "sonnet")]);

    private static byte[] Body(string text, bool tools = false, bool thinking = false) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["max_tokens"] = 10,
        ["messages"] = new[] { new { role = "user", content = text } },
        ["tools"] = tools ? new[] { new { name = "t", input_schema = new { type = "object" } } } : Array.Empty<object>(),
        ["thinking"] = thinking ? new { type = "enabled", budget_tokens = 1024 } : (object)new { type = "disabled" },
    });

    [Fact]
    public void A_short_prompt_without_tools_goes_to_haiku()
    {
        var decision = new RoutingPolicy(Auto.Aliases, []).Decide("auto", Body("hello"));
        Assert.Equal("haiku", decision.Served);
        Assert.Equal("auto", decision.Requested);
        Assert.Equal("auto: input < 2000 tokens, no tools", decision.Rule);
    }

    [Fact]
    public void A_long_prompt_or_extended_thinking_goes_to_opus_and_tools_to_the_default()
    {
        var noRewrite = new RoutingPolicy(Auto.Aliases, []);
        Assert.Equal("opus", noRewrite.Decide("auto", Body(new string('x', 100_000))).Served);
        Assert.Equal("opus", noRewrite.Decide("auto", Body("hi", thinking: true)).Served);
        Assert.Equal("sonnet", noRewrite.Decide("auto", Body("hi", tools: true)).Served);
    }

    [Fact]
    public void Token_estimate_counts_text_bytes_the_way_the_emulator_does()
    {
        var shape = RequestShape.Read(Encoding.UTF8.GetBytes("{\"system\":\"abcd\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"12345678\"}]}]}"));
        Assert.Equal(3, shape.EstimatedInputTokens);
        Assert.False(shape.HasTools);
        Assert.False(shape.HasThinking);
    }

    [Fact]
    public void A_rewrite_serves_the_allowed_model_and_a_null_rewrite_refuses_naming_the_model()
    {
        var decision = Auto.Decide("auto", Body(new string('x', 100_000)));
        Assert.Equal("sonnet", decision.Served);
        Assert.Contains("rewrite opus → sonnet", decision.Rule, StringComparison.Ordinal);

        var refuse = new RoutingPolicy([], [new ModelRewrite("opus", null)]).Decide("opus", Body("hi"));
        Assert.True(refuse.Refused);
        Assert.Contains("may not use opus", refuse.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Models_without_rules_pass_unchanged()
    {
        var decision = Auto.Decide("sonnet", Body("hi"));
        Assert.False(decision.Changed);
        Assert.Null(decision.Rule);
    }
}
