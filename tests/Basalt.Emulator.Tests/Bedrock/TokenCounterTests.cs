using System.Text;
using System.Text.Json;
using Basalt.Emulator.Bedrock;

namespace Basalt.Emulator.Tests.Bedrock;

public sealed class TokenCounterTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(400, 100)]
    public void Tokens_are_utf8_bytes_divided_by_four_rounded_up(long bytes, int tokens)
        => Assert.Equal(tokens, TokenCounter.FromBytes(bytes));

    [Fact]
    public void Input_counts_system_messages_tool_blocks_and_raw_tool_definitions()
    {
        const string tool = """{"name":"t","input_schema":{"type":"object"}}""";
        var body = $$$"""
            {"anthropic_version":"bedrock-2023-05-31","max_tokens":5,
             "system":[{"type":"text","text":"12345678"}],
             "tools":[{{{tool}}}],
             "messages":[{"role":"user","content":"héllo"},
                         {"role":"assistant","content":[{"type":"thinking","thinking":"abcd","signature":"zzzzzzzzzzzz"},{"type":"tool_use","id":"x","name":"t","input":{"a":1}}]},
                         {"role":"user","content":[{"type":"tool_result","tool_use_id":"x","content":"ok"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}]}
            """;
        using var doc = JsonDocument.Parse(body);
        // system 8 + "héllo" 6 + thinking 4 + tool_use name 1 + input {"a":1} 7 + tool_result 2 + tool JSON 45 = 73
        // bytes; image and signature count nothing. ceil(73 / 4) = 19.
        Assert.Equal(45, Encoding.UTF8.GetByteCount(tool));
        Assert.Equal(19, TokenCounter.CountInput(doc.RootElement));
    }

    [Fact]
    public void Converse_input_counts_text_blocks_and_tool_specs()
    {
        using var doc = JsonDocument.Parse("""{"system":[{"text":"abcd"}],"messages":[{"role":"user","content":[{"text":"efghijkl"}]}]}""");
        Assert.Equal(3, TokenCounter.CountConverseInput(doc.RootElement));
    }
}
