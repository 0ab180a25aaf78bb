using System.Text;
using System.Text.Json;
using Basalt.Deployment;
using Basalt.Deployment.Generation;
using Basalt.Deployment.Planning;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;
using Basalt.Testing;
using YamlDotNet.RepresentationModel;

namespace Basalt.Tests.Deployment.Generation;

public sealed class DeploymentGenerationTests
{
    private static readonly ValidationOptions FixedDate = new() { Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) };

    private static DeploymentGenerationResult Generate(DeploymentFile file)
    {
        var result = new DeploymentGenerator(validation: FixedDate).Generate(file);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result;
    }

    private static string Text(DeploymentGenerationResult result, string path)
        => Encoding.UTF8.GetString(Assert.Single(result.Artifacts, a => a.RelativePath == path).Content.Span);

    [Fact]
    public void Every_group_and_platform_gets_an_explicit_credential_kind_and_one_credential_source()
    {
        using var secrets = new TempDirectory("deploy");
        string[] sources = ["inferenceBedrockBearerToken", "inferenceBedrockProfile", "inferenceBedrockSsoStartUrl", "inferenceCredentialHelper", "inferenceGatewayApiKey", "inferenceGatewayOidc"];
        foreach (var name in DeploymentTestInput.ExampleNames())
        {
            var plan = ManagedConfigPlanner.Plan(DeploymentTestInput.Example(name, secrets));
            foreach (var group in plan.Groups)
            {
                foreach (var (_, entries) in group.Entries)
                {
                    Assert.Equal("inferenceProvider", entries[0].Key);
                    Assert.Equal("inferenceCredentialKind", entries[1].Key);
                    Assert.Equal(group.Group.Auth.CredentialKind, entries[1].Value);
                    Assert.Single(entries, e => sources.Contains(e.Key));
                    Assert.Equal(entries.Count, entries.Select(e => e.Key).Distinct().Count());
                }
            }
        }
    }

    [Fact]
    public void Generated_profiles_pass_the_validator_and_read_back_with_the_same_values()
    {
        using var secrets = new TempDirectory("deploy");
        var file = DeploymentTestInput.Example("basalt.yaml", secrets);
        var result = Generate(file);
        Assert.All(result.Validations, v => Assert.True(v.Result.EntersThirdPartyMode, string.Join("; ", v.Result.NotThirdPartyReasons)));
        var plan = ManagedConfigPlanner.Plan(file);
        foreach (var group in plan.Groups)
        {
            var expected = group.EntriesFor(DeploymentPlatform.MacOS).Select(e => (e.Key, e.Value)).ToList();
            var mobileconfig = Assert.Single(result.Artifacts, a => a.RelativePath == $"{group.Group.Name}/macos/acme-claude-{group.Group.Name}.mobileconfig");
            var read = ManagedConfigReader.Read(mobileconfig.Content.Span, ConfigFormat.MobileConfig, "profile.mobileconfig");
            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), read.Entries.Select(e => (e.Key, e.Value!)).OrderBy(e => e.Key, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Iam_policy_is_the_seed_policy_plus_CallWithBearerToken_only_for_bearer_tokens()
    {
        using var secrets = new TempDirectory("deploy");
        var bearer = JsonDocument.Parse(Text(Generate(DeploymentTestInput.Example("bearer-token-poc.yaml", secrets)), IamPolicyGenerator.RelativePath));
        var sso = JsonDocument.Parse(Text(Generate(DeploymentTestInput.Example("basalt.yaml", secrets)), IamPolicyGenerator.RelativePath));
        static List<string> Actions(JsonDocument d) => d.RootElement.GetProperty("Statement").EnumerateArray().SelectMany(s => s.GetProperty("Action").EnumerateArray()).Select(a => a.GetString()!).ToList();
        Assert.Equal("2012-10-17", sso.RootElement.GetProperty("Version").GetString());
        Assert.Contains("bedrock:InvokeModel", Actions(sso));
        Assert.Contains("bedrock:InvokeModelWithResponseStream", Actions(sso));
        Assert.DoesNotContain("bedrock:CallWithBearerToken", Actions(sso));
        Assert.Contains("bedrock:CallWithBearerToken", Actions(bearer));
    }

    [Fact]
    public void CloudFormation_template_is_plain_yaml_partition_aware_and_scoped_to_allowed_regions()
    {
        using var secrets = new TempDirectory("deploy");
        var text = Text(Generate(DeploymentTestInput.Example("govcloud.yaml", secrets)), CloudFormationGenerator.RelativePath);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var resources = (YamlMappingNode)root["Resources"];
        Assert.Equal("AWS::IAM::OIDCProvider", ((YamlScalarNode)((YamlMappingNode)resources["OidcProvider"])["Type"]).Value);
        var role = (YamlMappingNode)((YamlMappingNode)resources["RoleClaudeBedrockGov"])["Properties"];
        Assert.Equal("28800", ((YamlScalarNode)role["MaxSessionDuration"]).Value);
        var trust = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)role["AssumeRolePolicyDocument"])["Statement"])[0];
        var condition = (YamlMappingNode)((YamlMappingNode)trust["Condition"])["StringEquals"];
        Assert.Equal("11111111-2222-3333-4444-555555555555", ((YamlScalarNode)condition["login.microsoftonline.us/00000000-0000-0000-0000-000000000000/v2.0:aud"]).Value);
        var policy = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)role["Policies"])[0])["PolicyDocument"];
        var invoke = (YamlMappingNode)((YamlSequenceNode)policy["Statement"])[0];
        var resourceArns = ((YamlSequenceNode)invoke["Resource"]).Select(r => ((YamlScalarNode)((YamlMappingNode)r)["Fn::Sub"]).Value!).ToList();
        Assert.All(resourceArns, arn => Assert.StartsWith("arn:${AWS::Partition}:bedrock:us-gov-", arn, StringComparison.Ordinal));
        Assert.Contains(resourceArns, arn => arn.Contains("us-gov-east-1", StringComparison.Ordinal));
        Assert.DoesNotContain("arn:aws:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CloudFormation_is_written_only_when_oidc_federation_is_used()
    {
        using var secrets = new TempDirectory("deploy");
        Assert.DoesNotContain(Generate(DeploymentTestInput.Example("basalt.yaml", secrets)).Artifacts, a => a.RelativePath == CloudFormationGenerator.RelativePath);
        var global = Text(Generate(DeploymentTestInput.Example("two-groups.yaml", secrets)), CloudFormationGenerator.RelativePath);
        Assert.Contains("arn:${AWS::Partition}:bedrock:::foundation-model/anthropic.*", global, StringComparison.Ordinal);
        Assert.DoesNotContain("ClaudeFinanceEU", global, StringComparison.Ordinal);
    }

    [Fact]
    public void Claude_code_settings_follow_the_auth_approach()
    {
        using var secrets = new TempDirectory("deploy");
        JsonElement Settings(string example, string path) => JsonDocument.Parse(Text(Generate(DeploymentTestInput.Example(example, secrets)), path)).RootElement;

        var profile = Settings("named-profile.yaml", "default/macos/claude-code/managed-settings.json");
        Assert.Equal("/usr/local/bin/aws sso login --profile claude-cowork", profile.GetProperty("awsAuthRefresh").GetString());
        Assert.Equal("1", profile.GetProperty("env").GetProperty("CLAUDE_CODE_USE_BEDROCK").GetString());
        Assert.Equal("us-west-2", profile.GetProperty("env").GetProperty("AWS_REGION").GetString());
        Assert.Equal("claude-cowork", profile.GetProperty("env").GetProperty("AWS_PROFILE").GetString());
        // The example's models are the newest of their families; the per-family settings come from the catalogue.
        var catalogue = Basalt.Bedrock.Models.ModelCatalogue.Default;
        Assert.Equal(catalogue.NewestInFamily("sonnet", "us-west-2", "us")!.ProfileId("us"), profile.GetProperty("env").GetProperty("ANTHROPIC_MODEL").GetString());
        Assert.Equal(catalogue.NewestInFamily("opus", "us-west-2", "us")!.ProfileId("us"), profile.GetProperty("env").GetProperty(catalogue.ClaudeCodeModelVariables["opus"]).GetString());

        var helper = Settings("credential-helper.yaml", "default/windows/claude-code/managed-settings.json");
        Assert.Equal("\"C:\\Program Files\\Basalt\\basalt-credential.exe\" claude-code --profile claude-oidc", helper.GetProperty("awsCredentialExport").GetString());
        Assert.Equal("\"C:\\Program Files\\Basalt\\basalt-credential.exe\" login --profile claude-oidc", helper.GetProperty("awsAuthRefresh").GetString());
        var helperMac = Settings("credential-helper.yaml", "default/macos/claude-code/managed-settings.json");
        Assert.Equal("/usr/local/bin/basalt-credential claude-code --profile claude-oidc", helperMac.GetProperty("awsCredentialExport").GetString());

        var bearer = Settings("bearer-token-poc.yaml", "default/macos/claude-code/managed-settings.json");
        Assert.Equal(DeploymentTestInput.BedrockKey, bearer.GetProperty("env").GetProperty("AWS_BEARER_TOKEN_BEDROCK").GetString());
        Assert.Equal(catalogue.NewestInFamily("sonnet", "us-east-1", "global")!.ProfileId("global"), bearer.GetProperty("env").GetProperty(catalogue.ClaudeCodeModelVariables["sonnet"]).GetString());

        var gateway = Settings("gateway.yaml", "default/linux/claude-code/managed-settings.json");
        Assert.Equal("https://llm.examplebank.example", gateway.GetProperty("env").GetProperty("ANTHROPIC_BASE_URL").GetString());
        Assert.Equal(DeploymentTestInput.GatewayKey, gateway.GetProperty("env").GetProperty("ANTHROPIC_AUTH_TOKEN").GetString());
        Assert.False(gateway.GetProperty("env").TryGetProperty("CLAUDE_CODE_USE_BEDROCK", out _));
    }

    [Fact]
    public void Gateway_in_bedrock_mode_skips_signing_and_sends_the_key_as_a_header()
    {
        var yaml = """
            name: gw
            provider: gateway
            aws: { region: us-east-1 }
            auth:
              approach: gateway
              gateway: { baseUrl: "https://llm.example.com", apiKey: "${env:GATEWAY_API_KEY}", authScheme: x-api-key }
            models:
              sonnet: us.anthropic.claude-sonnet-4-5-20250929-v1:0
            """;
        var result = Generate(DeploymentTestInput.ParseOk(yaml));
        var env = JsonDocument.Parse(Text(result, "default/linux/claude-code/managed-settings.json")).RootElement.GetProperty("env");
        Assert.Equal("1", env.GetProperty("CLAUDE_CODE_USE_BEDROCK").GetString());
        Assert.Equal("1", env.GetProperty("CLAUDE_CODE_SKIP_BEDROCK_AUTH").GetString());
        Assert.Equal("https://llm.example.com", env.GetProperty("ANTHROPIC_BEDROCK_BASE_URL").GetString());
        Assert.Equal($"x-api-key: {DeploymentTestInput.GatewayKey}", env.GetProperty("ANTHROPIC_CUSTOM_HEADERS").GetString());
        Assert.True(Assert.Single(result.Artifacts, a => a.RelativePath == "default/linux/claude-code/managed-settings.json").ContainsSecret);
    }

    [Fact]
    public void Same_input_gives_the_same_bytes()
    {
        using var secrets = new TempDirectory("deploy");
        foreach (var name in DeploymentTestInput.ExampleNames())
        {
            var first = Generate(DeploymentTestInput.Example(name, secrets)).Artifacts;
            var second = Generate(DeploymentTestInput.Example(name, secrets)).Artifacts;
            Assert.Equal(first.Select(a => a.RelativePath), second.Select(a => a.RelativePath));
            for (var i = 0; i < first.Count; i++)
            {
                Assert.True(first[i].Content.Span.SequenceEqual(second[i].Content.Span), $"{name}: {first[i].RelativePath} differs between runs");
            }
        }
    }

    [Fact]
    public void Secrets_only_reach_artifacts_marked_secret_and_never_the_report_or_manifest()
    {
        using var secrets = new TempDirectory("deploy");
        foreach (var name in new[] { "bearer-token-poc.yaml", "gateway.yaml" })
        {
            var result = Generate(DeploymentTestInput.Example(name, secrets));
            foreach (var artifact in result.Artifacts)
            {
                var bytes = artifact.Content.ToArray();
                var text = Encoding.UTF8.GetString(bytes) + Encoding.Unicode.GetString(bytes);
                var holds = text.Contains(DeploymentTestInput.BedrockKey, StringComparison.Ordinal) || text.Contains(DeploymentTestInput.GatewayKey, StringComparison.Ordinal);
                Assert.True(holds == artifact.ContainsSecret, $"{name}: {artifact.RelativePath} holds a secret: {holds}, marked: {artifact.ContainsSecret}");
            }

            Assert.Contains(result.Artifacts, a => a.ContainsSecret);
            Assert.DoesNotContain(result.Diagnostics, d => d.ToString().Contains("not-real", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validator_errors_stop_generation_with_locations_in_the_deployment_file()
    {
        var yaml = DeploymentTestInput.Minimal + """

            policy:
              autoUpdaterEnforcementHours: 500
            """;
        var result = new DeploymentGenerator(validation: FixedDate).Generate(DeploymentTestInput.ParseOk(yaml));
        Assert.False(result.Success);
        Assert.Empty(result.Artifacts);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("autoUpdaterEnforcementHours", error.Key);
        Assert.Equal("basalt.yaml", error.Location!.File);
        Assert.Equal(14, error.Location.Line);
    }

    [Fact]
    public void Aws_config_matches_the_seed_profile_snippet()
    {
        using var secrets = new TempDirectory("deploy");
        var text = Text(Generate(DeploymentTestInput.Example("named-profile.yaml", secrets)), "default/linux/aws/config");
        Assert.Equal("""
            [profile claude-cowork]
            sso_session = corp
            sso_account_id = 123456789012
            sso_role_name = ClaudeCoworkAccess
            region = us-west-2

            [sso-session corp]
            sso_start_url = https://d-xxxxxxxxxx.awsapps.com/start
            sso_region = us-east-1
            sso_registration_scopes = sso:account:access

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Adding_an_artifact_kind_is_one_generator()
    {
        using var secrets = new TempDirectory("deploy");
        var generators = DeploymentGenerator.DefaultGenerators.Append(new GroupListGenerator()).ToList();
        var result = new DeploymentGenerator(generators, FixedDate).Generate(DeploymentTestInput.Example("basalt.yaml", secrets));
        Assert.Equal("business\nengineering\n", Text(result, "groups.txt"));
        Assert.Contains("groups.txt", Text(result, "manifest.json"), StringComparison.Ordinal);
    }

    private sealed class GroupListGenerator : IArtifactGenerator
    {
        public string Name => "groups";

        public void Generate(ArtifactContext context) => context.Add("groups.txt", string.Concat(context.Plan.Groups.Select(g => g.Group.Name + "\n")));
    }
}
