using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;
using Basalt.Testing;

namespace Basalt.Tests.ManagedConfig.Formats;

public sealed class ReadFileTests
{
    [Fact]
    public void Missing_files_are_a_diagnostic_not_an_exception()
    {
        var read = ManagedConfigReader.ReadFile("/nonexistent/h2/managed-settings.json");
        Assert.Equal(FormatDiagnosticCodes.IoError, Assert.Single(read.ParseDiagnostics).Code);
    }

    [Fact]
    public void Files_over_the_cap_are_refused_with_a_clear_diagnostic()
    {
        using var dir = new TempDirectory("h2-big");
        var path = dir.Combine("huge.json");
        using (var f = File.Create(path))
        {
            f.SetLength(ManagedConfigReader.MaxInputBytes + 1);
        }

        var d = Assert.Single(ManagedConfigReader.ReadFile(path).ParseDiagnostics);
        Assert.Equal(FormatDiagnosticCodes.TooLarge, d.Code);
        Assert.Contains("10 MiB", d.Message, StringComparison.Ordinal);
        Assert.Equal(FormatDiagnosticCodes.TooLarge, ManagedConfigReader.Read(new byte[ManagedConfigReader.MaxInputBytes + 1], ConfigFormat.Reg, "x").ParseDiagnostics.Single().Code);
    }

    [Fact]
    public void Format_is_detected_from_content_when_the_extension_says_nothing()
    {
        using var dir = new TempDirectory("h2-detect");
        var values = new List<KeyValuePair<string, string>> { new("inferenceProvider", "bedrock") };
        foreach (var format in new[] { ConfigFormat.LinuxJson, ConfigFormat.MobileConfig, ConfigFormat.Plist, ConfigFormat.Reg, ConfigFormat.PowerShell })
        {
            var path = dir.Write("config-" + format, ManagedConfigWriter.Write(format, values));
            Assert.Equal(format, ManagedConfigReader.Detect(File.ReadAllBytes(path)));
            var read = ManagedConfigReader.ReadFile(path);
            Assert.Empty(read.ParseDiagnostics);
            Assert.Equal("bedrock", Assert.Single(read.Entries).Value);
        }

        var unknown = dir.Write("noise", "hello");
        Assert.Equal(FormatDiagnosticCodes.UnknownFormat, ManagedConfigReader.ReadFile(unknown).ParseDiagnostics.Single().Code);
    }

    [Fact]
    public void Admx_and_foreign_powershell_are_not_read_as_values()
    {
        using var dir = new TempDirectory("h2-schema");
        var admx = dir.Write("claude.admx", ManagedConfigWriter.WriteAdmx()[ManagedConfigWriter.AdmxFileNames[0]]);
        Assert.Equal(FormatDiagnosticCodes.SchemaOnly, ManagedConfigReader.ReadFile(admx).ParseDiagnostics.Single().Code);
        var ps = dir.Write("set.ps1", "Set-ItemProperty -Path HKLM:\\SOFTWARE\\Policies\\Claude -Name a -Value b\n");
        Assert.Equal(FormatDiagnosticCodes.PowerShellUnrecognized, ManagedConfigReader.ReadFile(ps).ParseDiagnostics.Single().Code);
        Assert.Equal(ConfigPlatform.Windows, ManagedConfigReader.ReadFile(ps).Platform);
    }
}
