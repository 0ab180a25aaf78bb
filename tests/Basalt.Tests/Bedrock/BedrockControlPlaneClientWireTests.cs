using System.Text;
using Basalt.Aws;
using Basalt.Bedrock;

namespace Basalt.Tests.Bedrock;

public sealed class BedrockControlPlaneClientWireTests
{
    private static readonly AwsCredentials Creds = new("AKIDCTRL", "ctrl-secret");

    private static string ProfilesPage(int page) => page switch
    {
        0 => """{"inferenceProfileSummaries":[{"inferenceProfileId":"us.anthropic.claude-sonnet-4-5-20250929-v1:0","inferenceProfileName":"US Claude Sonnet 4.5","inferenceProfileArn":"arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0","models":[{"modelArn":"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"}],"status":"ACTIVE","type":"SYSTEM_DEFINED"}],"nextToken":"page/2+="}""",
        1 => """{"inferenceProfileSummaries":[{"inferenceProfileId":"global.anthropic.claude-sonnet-4-5-20250929-v1:0","inferenceProfileName":"Global Claude Sonnet 4.5","status":"ACTIVE","type":"SYSTEM_DEFINED","models":[]}],"nextToken":"page3"}""",
        _ => """{"inferenceProfileSummaries":[{"inferenceProfileId":"eu.anthropic.claude-sonnet-4-5-20250929-v1:0","status":"ACTIVE","type":"SYSTEM_DEFINED","models":[]}]}""",
    };

    [Fact]
    public async Task Listing_follows_next_token_and_every_page_request_verifies()
    {
        await using var server = new RawHttpFixture(async (req, index, stream, ct) =>
        {
            var body = req.Path == "/inference-profiles"
                ? ProfilesPage(req.Query?.Contains("nextToken=page3", StringComparison.Ordinal) == true ? 2 : req.Query?.Contains("nextToken=", StringComparison.Ordinal) == true ? 1 : 0)
                : """{"modelSummaries":[{"modelId":"anthropic.claude-3-haiku-20240307-v1:0","modelName":"Claude 3 Haiku","providerName":"Anthropic","inputModalities":["TEXT","IMAGE"],"outputModalities":["TEXT"],"responseStreamingSupported":true,"inferenceTypesSupported":["ON_DEMAND"],"modelLifecycle":{"status":"ACTIVE"}}]}""";
            await stream.WriteAsync(RawHttpFixture.Response(200, "OK", [("Content-Type", "application/json")], Encoding.UTF8.GetBytes(body)), ct);
        });
        using var http = new HttpClient();
        var client = new BedrockControlPlaneClient(http, new BedrockClientOptions { Region = "us-west-2", Auth = BedrockAuth.SigV4(Creds), ControlPlaneEndpoint = server.BaseAddress });

        var profiles = new List<BedrockInferenceProfile>();
        await foreach (var p in client.ListInferenceProfilesAsync("SYSTEM_DEFINED"))
        {
            profiles.Add(p);
        }

        Assert.Equal(3, profiles.Count);
        Assert.Equal(["type=SYSTEM_DEFINED", "nextToken=page%2F2%2B%3D&type=SYSTEM_DEFINED", "nextToken=page3&type=SYSTEM_DEFINED"], server.Requests.Select(r => r.Query));
        Assert.Equal("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0", Assert.Single(profiles[0].ModelArns));
        foreach (var request in server.Requests)
        {
            var result = await new SigV4Verifier().VerifyAsync(request.ToSigV4(), (_, _) => ValueTask.FromResult<string?>(Creds.SecretAccessKey), DateTimeOffset.UtcNow);
            Assert.True(result.IsValid, result.Message + "\n" + result.CanonicalRequest);
        }

        var options = await client.DiscoverClaudeModelsAsync();

        Assert.Equal(["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"], options.Select(o => o.Id));
        Assert.Contains(server.Requests, r => r.Path == "/foundation-models" && r.Query == "byProvider=Anthropic");
    }

    [Fact]
    public async Task A_server_that_repeats_its_next_token_does_not_loop_forever()
    {
        await using var server = new RawHttpFixture(async (req, _, stream, ct) =>
            await stream.WriteAsync(RawHttpFixture.Response(200, "OK", [("Content-Type", "application/json")], """{"inferenceProfileSummaries":[],"nextToken":"same"}"""u8.ToArray()), ct));
        using var http = new HttpClient();
        var client = new BedrockControlPlaneClient(http, new BedrockClientOptions { Region = "us-west-2", Auth = BedrockAuth.None, ControlPlaneEndpoint = server.BaseAddress });

        var count = 0;
        await foreach (var _ in client.ListInferenceProfilesAsync())
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.Equal(2, server.Requests.Count);
    }
}
