using Basalt.Deployment;
using Basalt.Deployment.Secrets;
using Basalt.Gateway.Configuration;

namespace Basalt.Tests.Deployment;

/// <summary>
/// Basalt's own gateway as a <c>gateway:</c> section of the deployment file (issue 8 item 9): <c>deploy validate</c>
/// reads it with the gateway's one reader (<see cref="GatewayConfigReader"/>), so a problem in it is the same
/// <c>file:line:column</c> diagnostic whether the file is validated as a deployment or served as a gateway config.
/// </summary>
public sealed class DeploymentGatewaySectionTests
{
    private const string Gateway = """

        gateway:
          listen: [ "http://127.0.0.1:8080" ]
          upstreams:
            east:
              region: us-east-1
              credentials: { source: static, accessKeyId: "${env:GW_AKID}", secretAccessKey: "${env:GW_SECRET}" }
          models:
            claude-sonnet-4-5:
              aliases: [sonnet]
              routes:
                - { upstream: east, model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" }
          groups:
            engineering: { models: ["*"] }
          apiKeys:
            - { id: alice-laptop, user: alice, groups: [engineering], key: "${env:GATEWAY_API_KEY}" }
        """;

    private static readonly Dictionary<string, string> Environment = new(DeploymentTestInput.Environment, StringComparer.Ordinal)
    {
        ["GW_AKID"] = "AKIAIOSFODNN7EXAMPLE",
        ["GW_SECRET"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    };

    [Fact]
    public void A_gateway_section_is_accepted_and_read_into_the_gateways_own_options()
    {
        var result = DeploymentTestInput.Parse(DeploymentTestInput.Minimal + Gateway, environment: Environment);

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        var gateway = result.File!.Gateway;
        Assert.NotNull(gateway);
        var model = Assert.Single(gateway.Models);
        Assert.Equal("claude-sonnet-4-5", model.Id);
        Assert.Equal(["sonnet"], model.Aliases);
        Assert.Equal("east", Assert.Single(model.Routes).Upstream);
        Assert.Equal("alice", Assert.Single(gateway.ApiKeys).UserId);
        Assert.Equal(8080, Assert.Single(gateway.Listeners).Port);
    }

    [Fact]
    public void A_file_without_a_gateway_section_has_no_gateway()
        => Assert.Null(DeploymentTestInput.ParseOk(DeploymentTestInput.Minimal).Gateway);

    [Fact]
    public void A_problem_in_the_gateway_section_is_the_gateway_readers_diagnostic_at_its_line_and_fails_validation()
    {
        var text = DeploymentTestInput.Minimal + Gateway.Replace("upstream: east", "upstream: west", StringComparison.Ordinal);

        var asDeployment = DeploymentTestInput.Parse(text, environment: Environment);
        var asGatewayConfig = GatewayConfigReader.Parse(text, "basalt.yaml", new SecretReferenceResolver(Path.GetTempPath(), n => Environment.GetValueOrDefault(n)));

        Assert.False(asDeployment.Success);
        var error = Assert.Single(asDeployment.Diagnostics, d => d.IsError);
        Assert.StartsWith("gateway.models.claude-sonnet-4-5.routes", error.Key, StringComparison.Ordinal);
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("upstream: west", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, error.Location!.Line);
        Assert.Equal("basalt.yaml", error.Location.File);
        Assert.Contains("west", error.Message, StringComparison.Ordinal);
        // One reader: the same diagnostic as `basalt gateway serve --config basalt.yaml` prints.
        Assert.Equal(error.ToString(), Assert.Single(asGatewayConfig.Diagnostics, d => d.IsError).ToString());
    }

    [Fact]
    public void An_unknown_key_inside_the_gateway_section_is_named_with_its_full_path()
    {
        var result = DeploymentTestInput.Parse(DeploymentTestInput.Minimal + Gateway.Replace("  groups:", "  grups: {}\n  groups:", StringComparison.Ordinal), environment: Environment);

        var unknown = Assert.Single(result.Diagnostics, d => d.Code == DeploymentDiagnosticCodes.UnknownKey);
        Assert.Equal("gateway.grups", unknown.Key);
    }
}
