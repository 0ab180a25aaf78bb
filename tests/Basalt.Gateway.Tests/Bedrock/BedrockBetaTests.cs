using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Basalt.Gateway.Tests.TestSupport;

namespace Basalt.Gateway.Tests.Bedrock;

/// <summary>
/// The Bedrock-format side's <c>anthropic_beta</c> goes through the catalogue's beta table like the Anthropic side's
/// (gateway.md §1.4): a beta Bedrock answers "invalid beta flag" for is stripped and named in
/// <c>x-basalt-stripped</c>; a body whose betas all pass is forwarded unchanged.
/// </summary>
public sealed class BedrockBetaTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_beta_bedrock_rejects_is_stripped_from_the_body_and_the_call_succeeds()
    {
        using var response = await InvokeAsync("""["oauth-2025-04-20","interleaved-thinking-2025-05-14","advanced-tool-use-2025-11-20"]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("oauth-2025-04-20", response.Headers.GetValues("x-basalt-stripped").Single());
        Assert.Contains("\"type\":\"message\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Betas_that_all_pass_leave_the_body_unchanged_and_name_nothing()
    {
        using var response = await InvokeAsync("""["interleaved-thinking-2025-05-14"]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("x-basalt-stripped"));
    }

    [Fact]
    public async Task An_anthropic_beta_that_is_not_a_list_of_strings_is_a_400_validation_error()
    {
        using var response = await InvokeAsync("\"interleaved-thinking-2025-05-14\"");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("ValidationException", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Emulator.RequestLog.Snapshot(), e => e.ModelId is not null);
    }

    private async Task<HttpResponseMessage> InvokeAsync(string betas)
    {
        using var client = _host.Client();
        var body = $$"""{"anthropic_version":"bedrock-2023-05-31","max_tokens":32,"anthropic_beta":{{betas}},"messages":[{"role":"user","content":"beta check"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/model/{Uri.EscapeDataString(GatewayTestHost.SonnetProfile)}/invoke") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _host.AliceKey);
        return await client.SendAsync(request);
    }
}
