using System.Diagnostics;
using System.Text;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;

namespace Basalt.Tests.ManagedConfig.Formats;

/// <summary>
/// Managed-configuration sources are read through the shared input mechanism (issue 14): files by
/// <c>InputText.ReadFile</c> within the reader's limits, so a device or a pipe is refused rather than streamed,
/// and hostile nesting in any format ends in a located diagnostic in bounded time.
/// </summary>
public sealed class ManagedConfigHostileInputTests
{
    [Fact]
    public void A_device_is_refused_not_streamed()
    {
        var watch = Stopwatch.StartNew();
        var read = ManagedConfigReader.ReadFile("/dev/zero");

        var d = Assert.Single(read.ParseDiagnostics);
        Assert.Equal(FormatDiagnosticCodes.IoError, d.Code);
        Assert.Contains("not a regular file", d.Message, StringComparison.Ordinal);
        Assert.True(watch.ElapsedMilliseconds < 2000, $"{watch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData(ConfigFormat.LinuxJson)]
    [InlineData(ConfigFormat.ConfigLibrary)]
    public void Twenty_thousand_levels_of_json_nesting_are_a_diagnostic(ConfigFormat format)
    {
        var json = "{\"enterpriseConfig\":{\"inferenceModels\":" + new string('[', 20_000) + new string(']', 20_000) + "}}";
        var watch = Stopwatch.StartNew();

        var read = ManagedConfigReader.Read(Encoding.UTF8.GetBytes(json), format, "deep.json");

        Assert.Contains(read.ParseDiagnostics, d => d.IsError);
        Assert.DoesNotContain(read.ParseDiagnostics, d => d.Code == FormatDiagnosticCodes.InternalError);
        Assert.True(watch.ElapsedMilliseconds < 2000, $"{watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Twenty_thousand_levels_of_plist_nesting_are_a_diagnostic()
    {
        var plist = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>k</key>"
            + string.Concat(Enumerable.Repeat("<array>", 20_000)) + string.Concat(Enumerable.Repeat("</array>", 20_000)) + "</dict></plist>";
        var watch = Stopwatch.StartNew();

        var read = ManagedConfigReader.Read(Encoding.UTF8.GetBytes(plist), ConfigFormat.Plist, "deep.plist");

        Assert.Contains(read.ParseDiagnostics, d => d.IsError);
        Assert.DoesNotContain(read.ParseDiagnostics, d => d.Code == FormatDiagnosticCodes.InternalError);
        Assert.True(watch.ElapsedMilliseconds < 2000, $"{watch.ElapsedMilliseconds} ms");
    }
}
