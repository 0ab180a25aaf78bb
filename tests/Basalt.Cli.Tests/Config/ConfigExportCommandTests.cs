using System.IO.Compression;
using System.Text;
using Basalt.ManagedConfig.Formats;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Config;

/// <summary>The real <c>basalt config export</c> process: conversions, exit codes, stderr diagnostics, atomic output.</summary>
public sealed class ConfigExportCommandTests
{
    private const string Reg =
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Claude]\r\n" +
        "\"inferenceProvider\"=\"gateway\"\r\n\"inferenceGatewayBaseUrl\"=\"https://gw.example.com\"\r\n\"inferenceModels\"=\"[\\\"claude-sonnet-4\\\"]\"\r\n";

    [Fact]
    public async Task Reg_converts_to_every_format_and_reads_back_the_same()
    {
        using var dir = new TempDirectory("h2-cli");
        var source = dir.Write("in.reg", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Reg)]);
        var expected = ManagedConfigReader.ReadFile(source).Entries.Select(e => (e.Key, e.Value)).ToList();
        Assert.Equal(3, expected.Count);
        foreach (var (format, file) in new[] { ("mobileconfig", "out.mobileconfig"), ("plist", "out.plist"), ("json", "managed-settings.json"), ("ps1", "set.ps1"), ("reg", "out.reg") })
        {
            var output = dir.Combine(file);
            var result = await InProcessCli.RunAsync(["config", "export", source, "--format", format, "-o", output, "--hive", "HKLM", "--identity-seed", "acme"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("Wrote 3 value(s)", result.Stdout, StringComparison.Ordinal);
            var back = ManagedConfigReader.ReadFile(output);
            Assert.Empty(back.ParseDiagnostics);
            Assert.Equal(expected, back.Entries.Select(e => (e.Key, e.Value)));
        }

        Assert.Equal("HKLM", ManagedConfigReader.ReadFile(dir.Combine("out.reg")).Entries[0].Location.Scope);
    }

    [Fact]
    public async Task Export_is_deterministic()
    {
        using var dir = new TempDirectory("h2-cli-det");
        var source = dir.Write("in.reg", Reg);
        var a = dir.Combine("a.mobileconfig");
        var b = dir.Combine("b.mobileconfig");
        Assert.Equal(0, (await InProcessCli.RunAsync(["config", "export", source, "-o", a, "--identity-seed", "s"])).ExitCode);
        Assert.Equal(0, (await InProcessCli.RunAsync(["config", "export", source, "-o", b, "--identity-seed", "s"])).ExitCode);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public async Task Admx_goes_to_a_folder_or_a_reproducible_zip()
    {
        using var dir = new TempDirectory("h2-cli-admx");
        var folder = dir.Combine("PolicyDefinitions");
        var result = await InProcessCli.RunAsync(["config", "export", "--format", "admx", "-o", folder]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(folder, "claude.admx")));
        Assert.True(File.Exists(Path.Combine(folder, "en-US", "claude.adml")));

        var zip1 = dir.Combine("a.zip");
        var zip2 = dir.Combine("b.zip");
        Assert.Equal(0, (await InProcessCli.RunAsync(["config", "export", "-o", zip1])).ExitCode);
        Assert.Equal(0, (await InProcessCli.RunAsync(["config", "export", "-o", zip2])).ExitCode);
        Assert.Equal(File.ReadAllBytes(zip1), File.ReadAllBytes(zip2));
        using var archive = ZipFile.OpenRead(zip1);
        Assert.Equal(["claude.admx", "en-US/claude.adml"], archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Broken_source_gives_located_diagnostics_exit_1_and_leaves_the_output_alone()
    {
        using var dir = new TempDirectory("h2-cli-bad");
        var output = dir.Write("out.json", "previous");
        var bad = dir.Write("bad.reg", "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude\\inferenceGatewayOidc]\r\n\"clientId\"=\"x\"\r\n");
        var result = await InProcessCli.RunAsync(["config", "export", bad, "-o", output]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{bad}:4 [HKLM]: error {FormatDiagnosticCodes.RegSubkey} [clientId]", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(output));

        var missing = await InProcessCli.RunAsync(["config", "export", dir.Combine("nope.reg"), "-o", output]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains(FormatDiagnosticCodes.IoError, missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_values_are_never_printed_and_their_output_is_0600()
    {
        const string Secret = "sk-EXAMPLE-not-a-real-key-123";
        using var dir = new TempDirectory("h2-cli-secret");
        var source = dir.Write("in.json", $"{{\"inferenceProvider\":\"gateway\",\"inferenceGatewayApiKey\":\"{Secret}\",\"x\":\"{Secret}\" trailing}}");
        var broken = await InProcessCli.RunAsync(["config", "export", source, "-o", dir.Combine("o.reg")]);
        Assert.Equal(1, broken.ExitCode);
        Assert.DoesNotContain(Secret, broken.Stdout + broken.Stderr, StringComparison.Ordinal);

        dir.Write("in.json", $"{{\"inferenceProvider\":\"gateway\",\"inferenceGatewayApiKey\":\"{Secret}\"}}");
        var output = dir.Combine("o.reg");
        var result = await InProcessCli.RunAsync(["config", "export", source, "-o", output, "--remove-stale"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
        }
    }

    [Fact]
    public async Task Unknown_format_and_hive_are_usage_errors()
    {
        using var dir = new TempDirectory("h2-cli-usage");
        var source = dir.Write("in.reg", Reg);
        var format = await InProcessCli.RunAsync(["config", "export", source, "-o", dir.Combine("out.txt")]);
        Assert.Equal(1, format.ExitCode);
        Assert.Contains("--format", format.Stderr, StringComparison.Ordinal);
        var hive = await InProcessCli.RunAsync(["config", "export", source, "-o", dir.Combine("out.reg"), "--hive", "HKCR"]);
        Assert.Equal(1, hive.ExitCode);
        Assert.Contains("--hive", hive.Stderr, StringComparison.Ordinal);
    }
}
