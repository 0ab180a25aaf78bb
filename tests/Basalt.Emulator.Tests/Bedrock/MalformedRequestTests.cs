using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Basalt.Aws;

namespace Basalt.Emulator.Tests.Bedrock;

/// <summary>
/// Issue 14 reproduction 7: malformed requests are answered the way Bedrock answers them (4xx, X-Amzn-ErrorType,
/// a JSON message) and appear in /_emulator/requests; the SigV4 scope's region is checked; short-term keys live
/// at most 12 hours.
/// </summary>
public sealed class MalformedRequestTests
{
    private const string Sonnet = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    [Fact]
    public async Task Invalid_utf8_in_an_invoke_body_is_a_logged_validation_error()
    {
        await using var host = await BedrockHost.StartAsync();
        var body = Encoding.UTF8.GetBytes(BedrockHost.Body("BYTES_TO_CORRUPT"));
        var at = Encoding.UTF8.GetString(body).IndexOf("BYTES_TO_CORRUPT", StringComparison.Ordinal);
        body[at] = 0xC3; // lead byte followed by 'L': not UTF-8
        body[at + 1] = 0x28;
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await host.Client.PostAsync($"model/{Sonnet}/invoke", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("ValidationException", response.Headers.GetValues("X-Amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.Contains("\"message\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var entry = Assert.Single(host.Log.Snapshot());
        Assert.Equal((400, "ValidationException"), (entry.StatusCode, entry.Outcome));
    }

    [Fact]
    public async Task A_text_block_without_text_is_a_validation_error()
    {
        await using var host = await BedrockHost.StartAsync();
        const string body = """{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":[{"type":"text"}]}]}""";
        using var response = await host.Client.PostAsync($"model/{Sonnet}/invoke", BedrockHost.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("ValidationException", response.Headers.GetValues("X-Amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.Contains("messages.0.content.0.text", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us-west-2")]
    [InlineData("xx-fake-9")]
    public async Task A_sigv4_signature_scoped_to_another_region_is_refused(string region)
    {
        await using var host = await BedrockHost.StartAsync();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, "model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke"))
        {
            Content = BedrockHost.Json(BedrockHost.Body("signed elsewhere")),
        };
        await SigV4Signer.SignAsync(request, new AwsCredentials(host.Org.AliceKeyId, host.Org.AliceSecret), region, "bedrock", DateTimeOffset.UtcNow, CancellationToken.None);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("InvalidSignatureException", response.Headers.GetValues("X-Amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.Contains("region", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(403, Assert.Single(host.Log.Snapshot()).StatusCode);
    }

    [Fact]
    public async Task A_short_term_key_valid_for_seven_days_is_refused()
    {
        await using var host = await BedrockHost.StartAsync();
        var key = SevenDayKey(new AwsCredentials(host.Org.AliceKeyId, host.Org.AliceSecret), "us-east-1", DateTimeOffset.UtcNow);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.PostAsync($"model/{Sonnet}/invoke", BedrockHost.Json(BedrockHost.Body("hi")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(response.Headers.Contains("X-Amzn-ErrorType"));
        Assert.Equal(403, Assert.Single(host.Log.Snapshot()).StatusCode);
    }

    /// <summary>A correctly signed short-term key whose presigned URL says X-Amz-Expires=604800 (AWS caps them at 12 h).</summary>
    private static string SevenDayKey(AwsCredentials credentials, string region, DateTimeOffset now)
    {
        var request = new SigV4Request { Method = "POST", RawPath = "/", RawQuery = "Action=CallWithBearerToken", Headers = [new("host", BedrockApiKey.Host)] };
        var signature = SigV4Signer.SignQuery(request, credentials, region, "bedrock", now, TimeSpan.FromDays(7));
        var parameters = new List<KeyValuePair<string, string>> { new("Action", "CallWithBearerToken") };
        parameters.AddRange(signature.QueryParameters);
        parameters.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var url = BedrockApiKey.Host + "/?" + string.Join('&', parameters.Select(p => SigV4.UriEncode(p.Key, encodeSlash: true) + "=" + SigV4.UriEncode(p.Value, encodeSlash: true))) + "&Version=1";
        return BedrockApiKey.Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(url));
    }
}
