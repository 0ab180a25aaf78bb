using Basalt.Deployment;
using Basalt.Deployment.Secrets;
using Basalt.Testing;

namespace Basalt.Tests.Deployment;

/// <summary>Parses deployment text the way the CLI does, with fake secrets in a fake environment.</summary>
internal static class DeploymentTestInput
{
    public const string BedrockKey = "EXAMPLE-bedrock-api-key-not-real";
    public const string GatewayKey = "EXAMPLE-gateway-key-not-real";

    public static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["BEDROCK_API_KEY"] = BedrockKey,
        ["GATEWAY_API_KEY"] = GatewayKey,
    };

    public static DeploymentParseResult Parse(string yaml, string path = "basalt.yaml", string? baseDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = environment ?? Environment;
        return DeploymentFileParser.Parse(yaml, path, new SecretReferenceResolver(baseDirectory ?? System.IO.Path.GetTempPath(), n => env.GetValueOrDefault(n)));
    }

    public static DeploymentFile ParseOk(string yaml, string path = "basalt.yaml", string? baseDirectory = null)
    {
        var result = Parse(yaml, path, baseDirectory);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.File!;
    }

    /// <summary>An example from examples/, parsed with the secrets its comments ask for (gateway key in a file next to it).</summary>
    public static DeploymentFile Example(string name, TempDirectory secrets)
    {
        File.WriteAllText(secrets.Combine("gateway-api-key.txt"), GatewayKey + "\n");
        var text = File.ReadAllText(System.IO.Path.Combine(RepoPaths.Examples, name));
        return ParseOk(text, $"examples/{name}", secrets.Path);
    }

    public static IEnumerable<string> ExampleNames()
        => Directory.GetFiles(RepoPaths.Examples, "*.yaml").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>A minimal valid Bedrock deployment with one model; callers add or replace sections.</summary>
    public const string Minimal = """
        version: 1
        name: test
        aws:
          region: us-west-2
          accountId: "123456789012"
        auth:
          approach: bearer-token
          bearerToken: ${env:BEDROCK_API_KEY}
        models:
          sonnet:
            id: anthropic.claude-sonnet-4-5-20250929-v1:0
            label: Claude Sonnet 4.5
        """;
}
