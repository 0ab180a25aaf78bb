using System.Text;
using Basalt.Emulator.Bedrock;

namespace Basalt.Emulator.Tests.Bedrock;

public sealed class ReplyPlannerTests
{
    private const string Script = """
        bedrock:
          replies:
            rules:
              - name: weather
                contains: weather
                reply: Let me check.
                thinking: The user wants the weather.
                toolUse:
                  name: get_weather
                  input: { city: Paris }
                afterToolResult: It is sunny in Paris.
              - name: forecast-result
                toolResult: get_forecast
                contains: rain
                reply: Take an umbrella.
              - name: greeting
                regex: "^(hi|hello)\\b"
                reply: Hello from the script.
              - name: refuse
                contains: forbidden
                reply: I can't help with that.
                stopReason: refusal
        """;

    [Fact]
    public void Without_rules_the_reply_echoes_the_last_user_text()
    {
        var reply = Plan(ReplyOptions.Echo, Body("""[{"role":"user","content":"first"},{"role":"assistant","content":"x"},{"role":"user","content":[{"type":"text","text":"second"},{"type":"text","text":"line"}]}]"""));
        Assert.Equal("second\nline", Assert.IsType<TextBlock>(Assert.Single(reply.Blocks)).Text);
        Assert.Equal("end_turn", reply.StopReason);
    }

    [Fact]
    public void A_rule_offers_its_tool_when_the_request_has_it_and_the_tool_result_gets_the_continuation()
    {
        var replies = Replies();
        var first = Plan(replies, Body("""[{"role":"user","content":"What is the weather?"}]""", tools: true));
        Assert.Equal("tool_use", first.StopReason);
        Assert.Equal("Let me check.", Assert.IsType<TextBlock>(first.Blocks[0]).Text);
        var tool = Assert.IsType<ToolUseBlock>(first.Blocks[1]);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("""{"city":"Paris"}""", tool.InputJson);

        var second = Plan(replies, Body($$$"""
            [{"role":"user","content":"What is the weather?"},
             {"role":"assistant","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"{{{tool.Id}}}","name":"get_weather","input":{"city":"Paris"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{tool.Id}}}","content":"22C, clear"}]}]
            """, tools: true));
        Assert.Equal("end_turn", second.StopReason);
        Assert.Equal("It is sunny in Paris.", Assert.IsType<TextBlock>(Assert.Single(second.Blocks)).Text);
    }

    [Fact]
    public void Tool_ids_are_deterministic()
    {
        var body = Body("""[{"role":"user","content":"weather"}]""", tools: true);
        var a = (ToolUseBlock)Plan(Replies(), body).Blocks[1];
        var b = (ToolUseBlock)Plan(Replies(), body).Blocks[1];
        Assert.Equal(a.Id, b.Id);
        Assert.StartsWith("toolu_bdrk_bsl0x", a.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_tool_offered_the_rule_answers_with_its_text()
    {
        var reply = Plan(Replies(), Body("""[{"role":"user","content":"weather please"}]"""));
        Assert.Equal("Let me check.", Assert.IsType<TextBlock>(Assert.Single(reply.Blocks)).Text);
        Assert.Equal("end_turn", reply.StopReason);
    }

    [Fact]
    public void Tool_result_rules_match_by_tool_name_and_result_text()
    {
        var reply = Plan(Replies(), Body("""
            [{"role":"user","content":"plan my day"},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_x","name":"get_forecast","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x","content":[{"type":"text","text":"heavy rain"}]}]}]
            """));
        Assert.Equal("Take an umbrella.", Assert.IsType<TextBlock>(Assert.Single(reply.Blocks)).Text);
    }

    [Fact]
    public void Regex_rules_and_stop_reasons_apply_and_the_first_match_wins()
    {
        Assert.Equal("Hello from the script.", ((TextBlock)Plan(Replies(), Body("""[{"role":"user","content":"hello there"}]""")).Blocks[0]).Text);
        Assert.Equal("Let me check.", ((TextBlock)Plan(Replies(), Body("""[{"role":"user","content":"hello, what's the weather"}]""")).Blocks[0]).Text);
        var refusal = Plan(Replies(), Body("""[{"role":"user","content":"something forbidden"}]"""));
        Assert.Equal("refusal", refusal.StopReason);
    }

    [Fact]
    public void Thinking_requests_start_with_a_signed_thinking_block()
    {
        var reply = Plan(Replies(), Body("""[{"role":"user","content":"weather"}]""", thinking: true));
        var thinking = Assert.IsType<ThinkingBlock>(reply.Blocks[0]);
        Assert.Equal("The user wants the weather.", thinking.Thinking);
        Assert.Equal(44, thinking.Signature.Length);
        var echo = Plan(ReplyOptions.Echo, Body("""[{"role":"user","content":"ping"}]""", thinking: true));
        Assert.Contains("ping", Assert.IsType<ThinkingBlock>(echo.Blocks[0]).Thinking, StringComparison.Ordinal);
        Assert.Equal("ping", Assert.IsType<TextBlock>(echo.Blocks[1]).Text);
    }

    [Fact]
    public void Max_tokens_cuts_the_text_and_reports_max_tokens()
    {
        var reply = Plan(ReplyOptions.Echo, Body("""[{"role":"user","content":"0123456789abcdefghij"}]""", maxTokens: 2));
        Assert.Equal("01234567", Assert.IsType<TextBlock>(Assert.Single(reply.Blocks)).Text);
        Assert.Equal("max_tokens", reply.StopReason);
        Assert.Equal(2, reply.OutputTokens);
    }

    [Fact]
    public void Stop_sequences_cut_the_text_and_are_reported()
    {
        var reply = Plan(ReplyOptions.Echo, Body("""[{"role":"user","content":"one two STOP three"}]""", extra: ""","stop_sequences":["STOP"]"""));
        Assert.Equal("one two ", Assert.IsType<TextBlock>(Assert.Single(reply.Blocks)).Text);
        Assert.Equal(("stop_sequence", "STOP"), (reply.StopReason, reply.StopSequence));
    }

    [Fact]
    public void Output_tokens_follow_the_documented_formula()
    {
        var reply = Plan(ReplyOptions.Echo, Body("""[{"role":"user","content":"héllo wörld"}]"""));
        Assert.Equal((Encoding.UTF8.GetByteCount("héllo wörld") + 3) / 4, reply.OutputTokens);
    }

    private static ReplyOptions Replies() => BedrockYamlTestData.Bedrock(Script, out _).Replies;

    private static string Body(string messages, bool tools = false, bool thinking = false, int maxTokens = 4096, string extra = "")
    {
        var t = tools ? ""","tools":[{"name":"get_weather","input_schema":{"type":"object"}}]""" : string.Empty;
        var th = thinking ? ""","thinking":{"type":"enabled","budget_tokens":1024}""" : string.Empty;
        return $$"""{"anthropic_version":"bedrock-2023-05-31","max_tokens":{{maxTokens}},"messages":{{messages}}{{t}}{{th}}{{extra}}}""";
    }

    private static PlannedReply Plan(ReplyOptions options, string body)
    {
        using var request = AnthropicRequest.Parse(Encoding.UTF8.GetBytes(body), null, out var error);
        Assert.True(request is not null, error?.Message);
        return new ReplyPlanner(options).Plan(request);
    }
}
