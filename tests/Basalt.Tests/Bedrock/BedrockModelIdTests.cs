using Basalt.Bedrock;

namespace Basalt.Tests.Bedrock;

public sealed class BedrockModelIdTests
{
    [Theory]
    [InlineData("us.anthropic.claude-sonnet-4-20250514-v1:0", "us")]
    [InlineData("eu.anthropic.claude-3-7-sonnet-20250219-v1:0", "eu")]
    [InlineData("apac.anthropic.claude-sonnet-4-20250514-v1:0", "apac")]
    [InlineData("jp.anthropic.claude-sonnet-4-5-20250929-v1:0", "jp")]
    [InlineData("au.anthropic.claude-sonnet-4-5-20250929-v1:0", "au")]
    [InlineData("us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0", "us-gov")]
    [InlineData("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "global")]
    [InlineData("us.anthropic.claude-sonnet-5", "us")]
    public void System_inference_profiles_are_recognized(string value, string prefix)
    {
        Assert.True(BedrockModelId.TryParse(value, out var id));
        Assert.Equal(BedrockModelIdKind.SystemInferenceProfile, id.Kind);
        Assert.Equal(prefix, id.GeoPrefix);
        Assert.Equal("anthropic", id.Vendor);
        Assert.True(id.IsAnthropic);
        Assert.Equal(value[(prefix.Length + 1)..], id.FoundationModelId);
    }

    [Fact]
    public void Foundation_ids_are_recognized()
    {
        Assert.True(BedrockModelId.TryParse("anthropic.claude-sonnet-4-20250514-v1:0", out var id));
        Assert.Equal(BedrockModelIdKind.FoundationModel, id.Kind);
        Assert.Null(id.GeoPrefix);
        Assert.True(BedrockModelId.TryParse("amazon.nova-pro-v1:0", out var nova));
        Assert.False(nova.IsAnthropic);
    }

    [Fact]
    public void Application_inference_profile_arns_expose_partition_region_and_account()
    {
        Assert.True(BedrockModelId.TryParse("arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/abc123", out var id));
        Assert.Equal(BedrockModelIdKind.ApplicationInferenceProfileArn, id.Kind);
        Assert.Equal(("aws-us-gov", "us-gov-west-1", "123456789012", "abc123"), (id.Partition, id.Region, id.AccountId, id.ResourceId));
        Assert.True(id.NeedsLabel);
        Assert.True(id.IsUsableFrom("us-gov-west-1"));
        Assert.False(id.IsUsableFrom("us-west-2"));
    }

    [Fact]
    public void Provisioned_inference_profile_and_foundation_arns_are_classified()
    {
        Assert.True(BedrockModelId.TryParse("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/pt-0123abc", out var pt));
        Assert.Equal(BedrockModelIdKind.ProvisionedModelArn, pt.Kind);
        Assert.True(BedrockModelId.TryParse("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0", out var ip));
        Assert.Equal(BedrockModelIdKind.SystemInferenceProfileArn, ip.Kind);
        Assert.Equal("us", ip.GeoPrefix);
        Assert.True(BedrockModelId.TryParse("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", out var fm));
        Assert.Equal(BedrockModelIdKind.FoundationModelArn, fm.Kind);
        Assert.Equal("anthropic.claude-3-haiku-20240307-v1:0", fm.FoundationModelId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sonnet")]
    [InlineData("claude-sonnet-4")]
    [InlineData("usa.anthropic.claude-sonnet-4-20250514-v1:0")]
    [InlineData("arn:aws:s3:::bucket/key")]
    [InlineData("arn:aws:bedrock:us-east-1:12345:application-inference-profile/abc")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/")]
    [InlineData("arn:aws:bedrock:nowhere:123456789012:provisioned-model/x")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:foundation-model/anthropic.claude")]
    public void Non_bedrock_identifiers_are_unknown(string value)
    {
        Assert.False(BedrockModelId.TryParse(value, out var id));
        Assert.Equal(BedrockModelIdKind.Unknown, id.Kind);
    }

    [Fact]
    public void Unknown_prefix_is_detected() => Assert.True(BedrockModelId.LooksLikeUnknownGeoPrefix("usa.anthropic.claude-sonnet-4-20250514-v1:0"));

    [Theory]
    [InlineData("us.anthropic.claude-sonnet-4-20250514-v1:0", "us-west-2", true)]
    [InlineData("us.anthropic.claude-sonnet-4-20250514-v1:0", "eu-west-1", false)]
    [InlineData("us.anthropic.claude-sonnet-4-20250514-v1:0", "us-gov-west-1", false)]
    [InlineData("us-gov.anthropic.claude-sonnet-4-20250514-v1:0", "us-gov-east-1", true)]
    [InlineData("eu.anthropic.claude-sonnet-4-20250514-v1:0", "eu-central-1", true)]
    [InlineData("apac.anthropic.claude-sonnet-4-20250514-v1:0", "ap-south-1", true)]
    [InlineData("jp.anthropic.claude-sonnet-4-20250514-v1:0", "ap-northeast-1", true)]
    [InlineData("jp.anthropic.claude-sonnet-4-20250514-v1:0", "ap-southeast-2", false)]
    [InlineData("global.anthropic.claude-sonnet-4-20250514-v1:0", "ca-central-1", true)]
    [InlineData("global.anthropic.claude-sonnet-4-20250514-v1:0", "us-gov-west-1", false)]
    public void Profiles_route_only_within_their_geography(string value, string region, bool usable)
        => Assert.Equal(usable, BedrockModelId.Parse(value).IsUsableFrom(region));

    [Theory]
    [InlineData("us-west-2", "us")]
    [InlineData("eu-west-3", "eu")]
    [InlineData("ap-southeast-1", "apac")]
    [InlineData("us-gov-west-1", "us-gov")]
    [InlineData("ca-central-1", "ca")]
    public void Suggests_the_geo_prefix_for_a_region(string region, string prefix) => Assert.Equal(prefix, BedrockModelId.SuggestedGeoPrefix(region));
}
