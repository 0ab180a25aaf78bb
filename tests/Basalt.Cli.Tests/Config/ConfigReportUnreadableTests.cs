using Basalt.Testing;

namespace Basalt.Cli.Tests.Config;

/// <summary>Issue 14 reproduction 8: <c>config report</c> exits 1 when no source can be read (README), garbage and empty files included.</summary>
public sealed class ConfigReportUnreadableTests
{
    [Theory]
    [InlineData("garbage.plist", "\u0001\u0002 this is not a property list at all")]
    [InlineData("empty.json", "")]
    [InlineData("notxml.mobileconfig", "plain text, not XML")]
    [InlineData("broken.json", "{\"inferenceProvider\": ")]
    public async Task A_source_that_cannot_be_read_makes_report_exit_1(string name, string content)
    {
        using var dir = new TempDirectory("hostile-report");
        var path = dir.Write(name, content);
        var result = await CliRunner.RunAsync(["config", "report", path]);
        Assert.True(result.ExitCode == 1, result.ToString());
    }
}
