using Basalt.Deployment.Secrets;
using Basalt.Gateway.Configuration;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Deployment;

/// <summary>
/// The gateway configurations shipped under <c>deploy/</c> are valid as written once the secret files and variables
/// they name exist (their absolute paths moved to a temporary folder), and none holds a secret inline.
/// </summary>
public sealed class DeployConfigTests
{
    [Theory]
    [InlineData("systemd/gateway.yaml", "/run/credentials/basalt-gateway.service/")]
    [InlineData("container/gateway.yaml", "/run/secrets/")]
    [InlineData("kubernetes/gateway.yaml", "/run/secrets/basalt/")]
    public void A_shipped_gateway_configuration_is_valid_with_its_secrets_in_place(string file, string secretsFolder)
    {
        using var dir = new TempDirectory("deploy-config");
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", file));
        foreach (var name in new[] { "alice-key", "upstream-secret-key", "usage-connection" })
        {
            dir.Write(Path.Combine("secrets", name), name == "usage-connection" ? "Host=127.0.0.1;Database=basalt;Username=basalt;Password=x" : $"{name}-value-0123456789abcdef0123456789");
        }

        var config = dir.Write("gateway.yaml", text.Replace(secretsFolder, dir.Combine("secrets") + "/", StringComparison.Ordinal));
        var environment = new Dictionary<string, string> { ["BASALT_USAGE_CONNECTION"] = "Host=127.0.0.1;Database=basalt;Username=basalt;Password=x" };

        var result = GatewayConfigReader.Parse(File.ReadAllText(config), config, new SecretReferenceResolver(dir.Path, n => environment.GetValueOrDefault(n)));

        Assert.True(result.Options is not null, string.Join('\n', result.Diagnostics));
        Assert.Equal(30, result.Options.Limits.DrainTimeout.TotalSeconds);
        Assert.Equal(8080, Assert.Single(result.Options.Listeners).Port);
        Assert.DoesNotContain("Password=", text, StringComparison.Ordinal);
        Assert.Matches(@"secretAccessKey: \$\{file:", text);
    }

    [Fact]
    public void Absolute_secret_files_need_the_explicit_opt_in()
    {
        using var dir = new TempDirectory("deploy-config-optin");
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "container", "gateway.yaml"))
            .Replace("secrets: { allowFilesOutsideFolder: true }", string.Empty, StringComparison.Ordinal);
        var config = dir.Write("etc/gateway.yaml", text.Replace("/run/secrets/", dir.Combine("secrets") + "/", StringComparison.Ordinal));
        dir.Write("secrets/alice-key", "alice-key-value-0123456789abcdef");
        dir.Write("secrets/upstream-secret-key", "upstream-secret-value-0123456789abcdef");
        dir.Write("secrets/usage-connection", "Host=127.0.0.1;Database=basalt");

        var result = GatewayConfigReader.Parse(File.ReadAllText(config), config, new SecretReferenceResolver(Path.GetDirectoryName(config)!, _ => null));

        Assert.Null(result.Options);
        Assert.Contains(result.Diagnostics, d => d.Code == "BSL7013");
    }
}
