using System.Text;
using System.Text.Json.Nodes;
using Basalt.Bedrock;

namespace Basalt.Tests.Bedrock;

public sealed class BedrockAnthropicBodyTests
{
    [Fact]
    public void Messages_request_loses_model_and_stream_and_gains_the_bedrock_version()
    {
        var request = """{"model":"claude-sonnet-4-5","stream":true,"max_tokens":64,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":1024},"context_management":{"edits":[]}}"""u8;

        var body = JsonNode.Parse(BedrockAnthropicBody.FromMessagesRequest(request))!.AsObject();

        Assert.False(body.ContainsKey("model"));
        Assert.False(body.ContainsKey("stream"));
        Assert.Equal("bedrock-2023-05-31", body["anthropic_version"]!.GetValue<string>());
        Assert.Equal(["max_tokens", "messages", "thinking", "context_management", "anthropic_version"], body.Select(p => p.Key));
        Assert.False(body.ContainsKey("anthropic_beta"));
    }

    [Fact]
    public void Betas_from_the_header_join_the_body_array_without_duplicates()
    {
        var request = """{"model":"m","anthropic_beta":["context-management-2025-06-27"],"max_tokens":1}"""u8;
        var betas = BedrockAnthropicBody.ParseBetaHeader(["interleaved-thinking-2025-05-14, context-management-2025-06-27", "fine-grained-tool-streaming-2025-05-14"]);

        var body = JsonNode.Parse(BedrockAnthropicBody.FromMessagesRequest(request, betas))!.AsObject();

        Assert.Equal(["context-management-2025-06-27", "interleaved-thinking-2025-05-14", "fine-grained-tool-streaming-2025-05-14"], body["anthropic_beta"]!.AsArray().Select(b => b!.GetValue<string>()));
    }

    [Fact]
    public void An_existing_anthropic_version_and_unknown_fields_pass_through()
    {
        var request = JsonNode.Parse("""{"anthropic_version":"bedrock-2023-05-31","future_field":{"x":[1,2]},"max_tokens":1}""")!.AsObject();

        var body = BedrockAnthropicBody.FromMessagesRequest(request);

        Assert.Equal("""{"anthropic_version":"bedrock-2023-05-31","future_field":{"x":[1,2]},"max_tokens":1}""", Encoding.UTF8.GetString(BedrockAnthropicBody.ToUtf8(body)));
        Assert.True(request.ContainsKey("future_field"));
    }
}
