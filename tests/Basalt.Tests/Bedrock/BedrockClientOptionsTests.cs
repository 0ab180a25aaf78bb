using Basalt.Bedrock;

namespace Basalt.Tests.Bedrock;

public sealed class BedrockClientOptionsTests
{
    [Theory]
    [InlineData("us-west-2", null, "https://bedrock-runtime.us-west-2.amazonaws.com/", "https://bedrock.us-west-2.amazonaws.com/")]
    [InlineData("us-east-1", true, "https://bedrock-runtime-fips.us-east-1.amazonaws.com/", "https://bedrock-fips.us-east-1.amazonaws.com/")]
    [InlineData("us-gov-west-1", null, "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com/", "https://bedrock-fips.us-gov-west-1.amazonaws.com/")]
    [InlineData("us-gov-west-1", false, "https://bedrock-runtime.us-gov-west-1.amazonaws.com/", "https://bedrock.us-gov-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", null, "https://bedrock-runtime.cn-north-1.amazonaws.com.cn/", "https://bedrock.cn-north-1.amazonaws.com.cn/")]
    public void Endpoints_follow_region_partition_and_fips(string region, bool? fips, string runtime, string control)
    {
        var options = new BedrockClientOptions { Region = region, Auth = BedrockAuth.None, UseFips = fips };

        Assert.Equal(runtime, options.EffectiveRuntimeEndpoint.ToString());
        Assert.Equal(control, options.EffectiveControlPlaneEndpoint.ToString());
    }

    [Theory]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "https://bedrock-runtime.us-west-2.amazonaws.com/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke")]
    [InlineData("arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123", "https://bedrock-runtime.us-west-2.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Aapplication-inference-profile%2Fabc123/invoke")]
    public void Model_id_is_url_encoded_into_the_path_like_the_AWS_SDKs(string modelId, string expected)
    {
        using var http = new HttpClient();
        var client = new BedrockRuntimeClient(http, new BedrockClientOptions { Region = "us-west-2", Auth = BedrockAuth.None });

        Assert.Equal(expected, client.OperationUri(modelId, "invoke").AbsoluteUri);
    }

    [Fact]
    public void A_base_url_override_keeps_its_path_prefix()
    {
        using var http = new HttpClient();
        var client = new BedrockRuntimeClient(http, new BedrockClientOptions
        {
            Region = "us-east-1",
            Auth = BedrockAuth.None,
            RuntimeEndpoint = new Uri("https://vpce-0abc.bedrock-runtime.us-east-1.vpce.amazonaws.com/prefix/"),
        });

        Assert.Equal("https://vpce-0abc.bedrock-runtime.us-east-1.vpce.amazonaws.com/prefix/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream", client.OperationUri("anthropic.claude-3-haiku-20240307-v1:0", "invoke-with-response-stream").AbsoluteUri);
    }

    [Fact]
    public void Auth_never_prints_a_secret()
    {
        Assert.Equal("Bearer ***", BedrockAuth.ApiKey("bedrock-api-key-secret").ToString());
        Assert.Equal("SigV4", BedrockAuth.SigV4(new Basalt.Aws.AwsCredentials("AKID", "secret")).ToString());
    }
}
