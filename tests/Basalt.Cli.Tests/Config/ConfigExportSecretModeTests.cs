using Basalt.Testing;

namespace Basalt.Cli.Tests.Config;

/// <summary>
/// Issue 14 reproduction 5: a token under a misspelled key or inside a URL's user-info is redacted by
/// <c>config report</c>, so <c>config export</c> must write it 0600 too (one notion of "secret").
/// </summary>
public sealed class ConfigExportSecretModeTests
{
    [Theory]
    [InlineData("inferenceBedrockBearerTokn", "EXAMPLE-bearer-token-value-not-real")]
    [InlineData("inferenceGatewayBaseUrl", "https://user:EXAMPLE-password@gw.example.com")]
    public async Task A_value_the_report_redacts_is_exported_to_a_0600_file(string key, string value)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory("hostile-export");
        var plist = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0"><dict>
            <key>inferenceProvider</key><string>gateway</string>
            <key>{key}</key><string>{value}</string>
            </dict></plist>
            """;
        var source = dir.Write("in.plist", plist);
        var report = await CliRunner.RunAsync(["config", "report", source]);
        Assert.DoesNotContain(value, report.Stdout + report.Stderr, StringComparison.Ordinal);

        var output = dir.Combine("managed-settings.json");
        var result = await CliRunner.RunAsync(["config", "export", source, "--format", "json", "-o", output]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
    }
}
