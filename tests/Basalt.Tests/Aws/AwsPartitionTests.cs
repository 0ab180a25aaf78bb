using Basalt.Aws;

namespace Basalt.Tests.Aws;

public sealed class AwsPartitionTests
{
    [Theory]
    [InlineData("us-west-2", "aws")]
    [InlineData("eu-central-1", "aws")]
    [InlineData("ap-northeast-1", "aws")]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    [InlineData("us-gov-east-1", "aws-us-gov")]
    [InlineData("cn-north-1", "aws-cn")]
    public void Region_maps_to_its_partition(string region, string partition)
        => Assert.Equal(partition, AwsPartition.ForRegion(region)?.Id);

    [Theory]
    [InlineData("")]
    [InlineData("us-west")]
    [InlineData("US-WEST-2")]
    [InlineData("uswest2")]
    [InlineData("us-west-2 ")]
    [InlineData("https://us-west-2")]
    public void Malformed_region_has_no_partition(string region)
        => Assert.Null(AwsPartition.ForRegion(region));

    [Fact]
    public void GovCloud_prefers_fips_hosts()
    {
        Assert.True(AwsPartition.AwsUsGov.PrefersFips);
        Assert.False(AwsPartition.Aws.PrefersFips);
        Assert.Equal("bedrock-runtime-fips.us-gov-west-1.amazonaws.com", AwsPartition.AwsUsGov.Host("bedrock-runtime", "us-gov-west-1", fips: true));
        Assert.Equal("bedrock.cn-north-1.amazonaws.com.cn", AwsPartition.AwsCn.Host("bedrock", "cn-north-1"));
    }
}
