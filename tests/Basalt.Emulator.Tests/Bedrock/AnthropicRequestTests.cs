using System.Text;
using Basalt.Emulator.Bedrock;

namespace Basalt.Emulator.Tests.Bedrock;

public sealed class AnthropicRequestTests
{
    private static readonly BedrockModelDefinition Sonnet = BedrockModelDefinition.BuiltIn.Single(m => m.Id == "anthropic.claude-sonnet-4-5-20250929-v1:0");

    [Theory]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", "Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again.")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","messages":[{"role":"user","content":"hi"}]}""", "Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again.")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":10}""", "Malformed input request: #: required key [messages] not found, please reformat your input and try again.")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", "Malformed input request: #: extraneous key [stream] is not permitted, please reformat your input and try again.")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"model":"claude","messages":[{"role":"user","content":"hi"}]}""", "Malformed input request: #: extraneous key [model] is not permitted, please reformat your input and try again.")]
    [InlineData("""{"anthropic_version":"2023-06-01","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", "Invalid anthropic_version: '2023-06-01'. The only supported value on Amazon Bedrock is 'bedrock-2023-05-31'.")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":"10","messages":[{"role":"user","content":"hi"}]}""", "Malformed input request: #/max_tokens: expected type: Integer, found: String, please reformat your input and try again.")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":70000,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens: 70000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5-20250929")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[]}""", "Malformed input request: #/messages: expected minimum item count: 1, found: 0, please reformat your input and try again.")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"system","content":"hi"}]}""", "messages.0.role: Input should be 'user' or 'assistant'")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"anthropic_beta":"x","messages":[{"role":"user","content":"hi"}]}""", "Malformed input request: #/anthropic_beta: expected type: JSONArray of String, found: String, please reformat your input and try again.")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":512},"messages":[{"role":"user","content":"hi"}]}""", "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024")]
    [InlineData("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":4000},"messages":[{"role":"user","content":"hi"}]}""", "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size")]
    [InlineData("not json", "Malformed input request, please reformat your input and try again.")]
    public void Invalid_bodies_get_bedrocks_validation_message(string body, string message)
    {
        var request = AnthropicRequest.Parse(Encoding.UTF8.GetBytes(body), Sonnet, out var error);
        Assert.Null(request);
        Assert.Equal("ValidationException", error!.Code);
        Assert.Equal(400, error.Status);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Betas_and_unknown_fields_pass_and_the_last_user_turn_is_read()
    {
        var body = """
            {"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,"anthropic_beta":["interleaved-thinking-2025-05-14"],
             "context_management":{"edits":[]},"metadata":{"user_id":"u"},"thinking":{"type":"enabled","budget_tokens":1024},
             "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],"stop_sequences":["END"],
             "messages":[{"role":"user","content":"weather?"},
                         {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}]},
                         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"rainy"}]},{"type":"text","text":"and now?"}]}]}
            """;
        using var request = AnthropicRequest.Parse(Encoding.UTF8.GetBytes(body), Sonnet, out var error);
        Assert.Null(error);
        Assert.True(request!.ThinkingEnabled);
        Assert.Contains("get_weather", request.ToolNames);
        Assert.Equal(["END"], request.StopSequences);
        Assert.Equal("and now?", request.PromptText);
        var result = Assert.Single(request.ToolResults);
        Assert.Equal(("toolu_1", "get_weather", "rainy"), (result.ToolUseId, result.ToolName, result.Text));
    }
}
