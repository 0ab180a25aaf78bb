using System.Text;
using Basalt.Deployment.Generation;
using Basalt.ManagedConfig.Formats;
using Basalt.Testing;

namespace Basalt.Tests.ManagedConfig.Formats;

public sealed class WrittenFileValidatorTests
{
    [Theory]
    [InlineData("g/macos/a.mobileconfig", "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>PayloadOrganization</key><string>A\u0007B</string></dict></plist>")]
    [InlineData("g/linux/managed-settings.json", "{\"inferenceProvider\": ")]
    [InlineData("iam/policy.json", "{\"Version\": \"2012-10-17\",}")]
    [InlineData("admx/claude.admx", "<policyDefinitions><unclosed></policyDefinitions>")]
    [InlineData("cfn/stack.yaml", "a: [b\n")]
    [InlineData("report.txt", "nul \0 inside")]
    public void A_file_its_own_reader_refuses_is_an_error(string path, string content)
    {
        var d = Assert.Single(WrittenFileValidator.Validate(path, Encoding.UTF8.GetBytes(content)));
        Assert.Equal(FormatDiagnosticCodes.GeneratedFileInvalid, d.Code);
        Assert.Equal(path, d.Key);
    }

    [Fact]
    public async Task The_output_writer_writes_nothing_when_one_file_does_not_read_back()
    {
        using var dir = new TempDirectory("hostile-writer");
        var output = dir.Combine("out");
        var artifacts = new[]
        {
            new GeneratedArtifact("report.txt", Encoding.UTF8.GetBytes("fine\n"), false),
            new GeneratedArtifact("g/linux/managed-settings.json", Encoding.UTF8.GetBytes("{\"inferenceProvider\": "), false),
        };
        var diagnostics = await DeploymentOutputWriter.WriteAsync(output, artifacts);
        Assert.Equal(FormatDiagnosticCodes.GeneratedFileInvalid, Assert.Single(diagnostics).Code);
        Assert.False(Directory.Exists(output));
    }
}
