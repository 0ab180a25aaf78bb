using Basalt.Diagnostics.Reading;
using Basalt.Deployment;
using Basalt.Testing;

namespace Basalt.Tests.Deployment;

public sealed class DeploymentFileParserTests
{
    [Fact]
    public void Every_example_parses_without_errors()
    {
        using var secrets = new TempDirectory("deploy");
        var names = DeploymentTestInput.ExampleNames().ToList();
        Assert.Contains("basalt.yaml", names);
        Assert.True(names.Count >= 8, string.Join(", ", names));
        foreach (var name in names)
        {
            var file = DeploymentTestInput.Example(name, secrets);
            Assert.NotEmpty(file.Groups);
        }
    }

    [Fact]
    public void Examples_cover_every_auth_approach_govcloud_and_two_groups()
    {
        using var secrets = new TempDirectory("deploy");
        var groups = DeploymentTestInput.ExampleNames().SelectMany(n => DeploymentTestInput.Example(n, secrets).Groups).ToList();
        foreach (var approach in Enum.GetValues<AuthApproach>())
        {
            Assert.Contains(groups, g => g.Auth.Approach == approach);
        }

        Assert.Contains(groups, g => g.Aws?.Partition.Id == "aws-us-gov");
        Assert.Equal(2, DeploymentTestInput.Example("basalt.yaml", secrets).Groups.Count);
    }

    [Fact]
    public void Unknown_key_reports_line_column_key_path_and_suggestion()
    {
        var result = DeploymentTestInput.Parse(DeploymentTestInput.Minimal.Replace("  region: us-west-2", "  regoin: us-west-2\n  region: us-west-2", StringComparison.Ordinal));
        var d = Assert.Single(result.Diagnostics, d => d.Code == DeploymentDiagnosticCodes.UnknownKey);
        Assert.Equal("aws.regoin", d.Key);
        Assert.Equal(4, d.Location!.Line);
        Assert.Equal(3, d.Location.Column);
        Assert.Equal("basalt.yaml", d.Location.File);
        Assert.Contains("did you mean 'region'", d.Fix, StringComparison.Ordinal);
        Assert.False(result.Success);
    }

    [Fact]
    public void Several_problems_give_one_diagnostic_each()
    {
        var yaml = """
            version: 1
            name: Bad_Name
            aws:
              region: mars-west-9
              scope: sideways
            auth:
              approach: bearer-token
              bearerToken: ${env:BEDROCK_API_KEY}
            models:
              sonnet:
                id: anthropic.claude-sonnet-4-5-20250929-v1:0
            """;
        var result = DeploymentTestInput.Parse(yaml);
        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, d => d.Key == "name" && d.Location!.Line == 2);
        Assert.Contains(errors, d => d.Key == "aws.region" && d.Location!.Line == 4 && d.Location.Column == 11);
        Assert.Contains(errors, d => d.Key == "aws.scope" && d.Message.Contains("regional, cross-region, global", StringComparison.Ordinal));
        Assert.All(errors, d => Assert.False(string.IsNullOrEmpty(d.Fix)));
    }

    [Fact]
    public void Yaml_syntax_error_is_one_diagnostic_with_a_position()
    {
        var result = DeploymentTestInput.Parse("name: test\naws:\n  region: [us-west-2\nauth: x\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DeploymentDiagnosticCodes.YamlSyntax, d.Code);
        Assert.True(d.Location!.Line >= 3);
        Assert.Null(result.File);
    }

    [Fact]
    public void Duplicate_key_is_reported_not_thrown()
    {
        var result = DeploymentTestInput.Parse("name: a\nname: b\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DeploymentDiagnosticCodes.DuplicateKey, d.Code);
        Assert.Equal(2, d.Location!.Line);
    }

    [Fact]
    public void Inline_bearer_token_is_refused_without_echoing_it()
    {
        const string Secret = "ABSKinlinesecretEXAMPLE";
        var result = DeploymentTestInput.Parse(DeploymentTestInput.Minimal.Replace("${env:BEDROCK_API_KEY}", Secret, StringComparison.Ordinal));
        var d = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentDiagnosticCodes.InlineSecret, d.Code);
        Assert.Equal("auth.bearerToken", d.Key);
        Assert.DoesNotContain(Secret, d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_environment_variable_names_the_variable()
    {
        var result = DeploymentTestInput.Parse(DeploymentTestInput.Minimal, environment: new Dictionary<string, string>());
        var d = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentDiagnosticCodes.SecretNotFound, d.Code);
        Assert.Contains("BEDROCK_API_KEY", d.Message, StringComparison.Ordinal);
        Assert.Equal(8, d.Location!.Line);
    }

    [Fact]
    public void File_reference_is_read_relative_to_the_deployment_file_and_marked_secret()
    {
        using var dir = new TempDirectory("deploy");
        dir.Write("secrets/key.txt", "EXAMPLE-from-file\n");
        var file = DeploymentTestInput.ParseOk(DeploymentTestInput.Minimal.Replace("${env:BEDROCK_API_KEY}", "${file:secrets/key.txt}", StringComparison.Ordinal), baseDirectory: dir.Path);
        var token = file.Groups[0].Auth.BearerToken!;
        Assert.Equal("EXAMPLE-from-file", token.Value);
        Assert.True(token.IsSecret);
        Assert.Equal(FieldValue.Redacted, token.ToString());
    }

    [Fact]
    public void Unknown_reference_scheme_is_reported()
    {
        var result = DeploymentTestInput.Parse(DeploymentTestInput.Minimal.Replace("${env:BEDROCK_API_KEY}", "${vault:kv/bedrock}", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == DeploymentDiagnosticCodes.SecretReferenceSyntax && d.Key == "auth.bearerToken");
    }

    [Theory]
    [InlineData("us-west-2", "cross-region", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("eu-central-1", "cross-region", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("ap-northeast-1", "cross-region", "apac.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("us-gov-west-1", "cross-region", "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("us-east-1", "global", "global.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("us-east-1", "regional", "anthropic.claude-sonnet-4-5-20250929-v1:0")]
    public void Scope_turns_a_foundation_id_into_the_id_clients_send(string region, string scope, string expected)
    {
        var yaml = DeploymentTestInput.Minimal.Replace("  region: us-west-2", $"  region: {region}\n  scope: {scope}", StringComparison.Ordinal);
        var model = Assert.Single(DeploymentTestInput.ParseOk(yaml).Groups[0].Models);
        Assert.Equal(expected, model.ResolvedId);
    }

    [Fact]
    public void Global_scope_is_refused_in_govcloud()
    {
        var yaml = DeploymentTestInput.Minimal.Replace("  region: us-west-2", "  region: us-gov-west-1\n  scope: global", StringComparison.Ordinal);
        var d = Assert.Single(DeploymentTestInput.Parse(yaml).Diagnostics, d => d.IsError);
        Assert.Equal("aws.scope", d.Key);
        Assert.Contains("aws-us-gov", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("regional", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("cross-region", "global.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("cross-region", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    public void Profile_id_that_contradicts_scope_or_region_is_refused(string scope, string id)
    {
        var yaml = DeploymentTestInput.Minimal
            .Replace("  region: us-west-2", $"  region: us-west-2\n  scope: {scope}", StringComparison.Ordinal)
            .Replace("anthropic.claude-sonnet-4-5-20250929-v1:0", id, StringComparison.Ordinal);
        var d = Assert.Single(DeploymentTestInput.Parse(yaml).Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentDiagnosticCodes.ModelScopeMismatch, d.Code);
        Assert.Equal("models.sonnet.id", d.Key);
        Assert.Equal(12, d.Location!.Line);
    }

    [Fact]
    public void Arn_from_another_partition_is_refused()
    {
        var yaml = DeploymentTestInput.Minimal
            .Replace("  region: us-west-2", "  region: us-gov-west-1", StringComparison.Ordinal)
            .Replace("anthropic.claude-sonnet-4-5-20250929-v1:0", "\"arn:aws:bedrock:us-gov-west-1:123456789012:application-inference-profile/abc123\"", StringComparison.Ordinal);
        var d = Assert.Single(DeploymentTestInput.Parse(yaml).Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentDiagnosticCodes.ModelPartitionMismatch, d.Code);
    }

    [Fact]
    public void Group_overrides_merge_over_top_level_sections()
    {
        using var secrets = new TempDirectory("deploy");
        var file = DeploymentTestInput.Example("two-groups.yaml", secrets);
        var finance = file.Groups.Single(g => g.Name == "finance-eu");
        Assert.Equal("eu-central-1", finance.Aws!.Region.Value);
        Assert.Equal("123456789012", finance.Aws.AccountId!.Value);
        Assert.Equal(AuthApproach.AwsSignIn, finance.Auth.Approach);
        Assert.Null(finance.Auth.Helper);
        Assert.Equal(["sonnet", "haiku"], finance.Models.Select(m => m.Alias));
        Assert.All(finance.Models, m => Assert.StartsWith("eu.", m.ResolvedId, StringComparison.Ordinal));
        Assert.False(finance.ClaudeCode.Enabled);
        var research = file.Groups.Single(g => g.Name == "research");
        Assert.Equal(AuthApproach.CredentialHelper, research.Auth.Approach);
        Assert.Equal("opus", research.Models[0].Alias);
    }

    [Fact]
    public void Problem_inside_a_group_names_the_group_in_its_key_path()
    {
        var yaml = DeploymentTestInput.Minimal + """

            groups:
              sales:
                aws:
                  scope: planetary
                models: [sonet]
            """;
        var result = DeploymentTestInput.Parse(yaml);
        Assert.Contains(result.Diagnostics, d => d.Key == "groups.sales.aws.scope");
        var alias = Assert.Single(result.Diagnostics, d => d.Code == DeploymentDiagnosticCodes.UnknownModelAlias);
        Assert.Contains("did you mean 'sonnet'", alias.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_keys_are_checked_against_the_catalogue_and_reserved_keys_refused()
    {
        var yaml = DeploymentTestInput.Minimal + """

            policy:
              disableDeploymentModeChoser: true
              inferenceBedrockRegion: us-east-1
              autoUpdaterEnforcementHours: soon
            """;
        var result = DeploymentTestInput.Parse(yaml);
        Assert.Contains(result.Diagnostics, d => d.Code == DeploymentDiagnosticCodes.PolicyKeyUnknown && d.Fix!.Contains("disableDeploymentModeChooser", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == DeploymentDiagnosticCodes.PolicyKeyReserved && d.Fix!.Contains("aws.region", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == DeploymentDiagnosticCodes.PolicyValueType && d.Key == "policy.autoUpdaterEnforcementHours");
    }

    [Fact]
    public void Policy_values_become_wire_strings()
    {
        var yaml = DeploymentTestInput.Minimal + """

            policy:
              disableDeploymentModeChooser: true
              autoUpdaterEnforcementHours: 24
              coworkEgressAllowedHosts: ["*.corp.example", pypi.org]
              allowedWorkspaceFolders:
                - path: ~/Documents/Claude
                  isDefaultSelected: true
              inferenceCustomHeaders: { X-Tenant: "42" }
            """;
        var policy = DeploymentTestInput.ParseOk(yaml).Groups[0].Policy.ToDictionary(p => p.Key, p => p.WireValue);
        Assert.Equal("true", policy["disableDeploymentModeChooser"]);
        Assert.Equal("24", policy["autoUpdaterEnforcementHours"]);
        Assert.Equal("""["*.corp.example","pypi.org"]""", policy["coworkEgressAllowedHosts"]);
        Assert.Equal("""[{"path":"~/Documents/Claude","isDefaultSelected":true}]""", policy["allowedWorkspaceFolders"]);
        Assert.Equal("""{"X-Tenant":"42"}""", policy["inferenceCustomHeaders"]);
    }

    [Fact]
    public void Provider_and_approach_must_agree()
    {
        var yaml = DeploymentTestInput.Minimal.Replace("version: 1", "version: 1\nprovider: gateway", StringComparison.Ordinal);
        Assert.Contains(DeploymentTestInput.Parse(yaml).Diagnostics, d => d.Code == DeploymentDiagnosticCodes.ConflictingSettings && d.Key == "provider");
    }

    [Fact]
    public void Sign_in_approaches_require_a_model_list()
    {
        var yaml = """
            name: t
            aws: { region: us-west-2, accountId: "123456789012" }
            auth:
              approach: aws-sign-in
              sso: { startUrl: "https://d-1234567890.awsapps.com/start", region: us-east-1, roleName: R }
            """;
        Assert.Contains(DeploymentTestInput.Parse(yaml).Diagnostics, d => d.Code == DeploymentDiagnosticCodes.MissingKey && d.Key == "models");
    }
}
