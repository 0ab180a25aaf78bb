using Basalt.ManagedConfig;

namespace Basalt.Tests.ManagedConfig;

public sealed class AppVersionTests
{
    [Theory]
    [InlineData("1.19367.0", 1, 19367, 0)]
    [InlineData("v1.8089.0", 1, 8089, 0)]
    [InlineData("2.7032.0", 2, 7032, 0)]
    [InlineData("1.17377", 1, 17377, 0)]
    [InlineData("1.44121.1", 1, 44121, 1)]
    public void Parses_changelog_versions(string text, int major, int minor, int patch)
    {
        var v = AppVersion.Parse(text);
        Assert.Equal((major, minor, patch), (v.Major, v.Minor, v.Patch));
        Assert.False(v.IsBaseline);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2.3.4")]
    [InlineData("1.x.0")]
    [InlineData("1.-2.0")]
    [InlineData("latest")]
    public void Rejects_malformed_versions(string text) => Assert.False(AppVersion.TryParse(text, out _));

    [Fact]
    public void Orders_numerically_with_baseline_first()
    {
        Assert.True(AppVersion.Parse("1.9255.0") < AppVersion.Parse("1.19367.0"));
        Assert.True(AppVersion.Parse("1.44121.1") > AppVersion.Parse("1.44121.0"));
        Assert.True(AppVersion.Parse("2.7032.0") > AppVersion.Parse("1.46388.1"));
        Assert.True(AppVersion.Baseline < AppVersion.Parse("0.0.1"));
        Assert.Equal(AppVersion.Baseline, AppVersion.Parse("Baseline"));
        Assert.Equal("Baseline", AppVersion.Baseline.ToString());
        Assert.Equal("1.8089.0", AppVersion.Parse("v1.8089").ToString());
    }
}
