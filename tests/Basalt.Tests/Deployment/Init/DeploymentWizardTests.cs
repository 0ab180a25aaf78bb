using Basalt.Bedrock.Models;
using Basalt.Deployment;
using Basalt.Deployment.Init;

namespace Basalt.Tests.Deployment.Init;

public sealed class DeploymentWizardTests
{
    [Fact]
    public async Task Piped_answers_produce_a_deployment_file_that_generates()
    {
        // One line per question; empty lines take the default.
        var answers = string.Join('\n', "acme", "Acme Corp", "aws-sign-in", "eu-west-1", "", "111122223333", "https://d-1234567890.awsapps.com/start", "eu-west-1", "ClaudeUsers", "opus,sonnet", "engineering, sales") + "\n";
        var prompts = new StringWriter();
        var (yaml, diagnostics) = await DeploymentWizard.RunAsync(new StringReader(answers), prompts, new DeploymentInitAnswers(), acceptDefaults: false);
        Assert.Empty(diagnostics);
        Assert.Contains("Authentication (bearer-token, aws-sign-in, named-profile, credential-helper, gateway) [aws-sign-in]: ", prompts.ToString(), StringComparison.Ordinal);
        var file = DeploymentTestInput.ParseOk(yaml!);
        Assert.Equal(["engineering", "sales"], file.Groups.Select(g => g.Name));
        var group = file.Groups[0];
        Assert.Equal(AuthApproach.AwsSignIn, group.Auth.Approach);
        Assert.Equal("ClaudeUsers", group.Auth.Sso!.RoleName.Value);
        // 'opus' is the newest Opus of the catalogue offered through the eu. profile.
        Assert.Equal(ModelCatalogue.Default.NewestInFamily("opus", "eu-west-1", "eu")!.ProfileId("eu"), group.Models[0].ResolvedId);
    }

    [Fact]
    public async Task Options_and_yes_need_no_input_at_all()
    {
        var given = new DeploymentInitAnswers { Name = "poc", Approach = "bearer-token", Region = "us-east-1", Scope = "global", SecretEnv = "MY_KEY" };
        var prompts = new StringWriter();
        var (yaml, diagnostics) = await DeploymentWizard.RunAsync(null, prompts, given, acceptDefaults: true);
        Assert.Empty(diagnostics);
        Assert.Equal(string.Empty, prompts.ToString());
        Assert.Contains("bearerToken: \"${env:MY_KEY}\"", yaml, StringComparison.Ordinal);
        var file = DeploymentTestInput.Parse(yaml!, environment: new Dictionary<string, string> { ["MY_KEY"] = "EXAMPLE" }).File!;
        Assert.Equal(ModelCatalogue.Default.NewestInFamily(ModelCatalogue.Default.DefaultFamilies[0], "us-east-1", "global")!.ProfileId("global"), file.Groups[0].Models[0].ResolvedId);
    }

    [Fact]
    public async Task An_invalid_answer_is_asked_again()
    {
        var answers = "demo\n\nbearer-token\nmars-1\nus-west-2\n\n\n\n\n";
        var prompts = new StringWriter();
        var (yaml, diagnostics) = await DeploymentWizard.RunAsync(new StringReader(answers), prompts, new DeploymentInitAnswers(), acceptDefaults: false);
        Assert.Empty(diagnostics);
        Assert.Contains("expected a region such as us-west-2", prompts.ToString(), StringComparison.Ordinal);
        Assert.Contains("region: us-west-2", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_required_answer_missing_without_a_terminal_is_a_diagnostic()
    {
        var (yaml, diagnostics) = await DeploymentWizard.RunAsync(null, new StringWriter(), new DeploymentInitAnswers { Approach = "credential-helper" }, acceptDefaults: true);
        Assert.Null(yaml);
        var d = Assert.Single(diagnostics);
        Assert.Contains("AWS account id", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_option_value_is_a_diagnostic()
    {
        var (yaml, diagnostics) = await DeploymentWizard.RunAsync(null, new StringWriter(), new DeploymentInitAnswers { Approach = "password" }, acceptDefaults: true);
        Assert.Null(yaml);
        Assert.Contains("'password' is not valid", Assert.Single(diagnostics).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us-west-2", "cross-region", "us")]
    [InlineData("eu-central-1", "cross-region", "eu")]
    [InlineData("us-east-1", "global", "global")]
    [InlineData("us-gov-west-1", "cross-region", "us-gov")]
    public void Aliases_resolve_to_the_newest_model_of_the_family_offered_in_the_region_and_scope(string region, string scope, string prefix)
    {
        var catalogue = ModelCatalogue.Default;
        foreach (var family in catalogue.Families)
        {
            var expected = catalogue.InFamily(family).FirstOrDefault(m => !m.Retired && m.IsOfferedThrough(prefix, region));
            Assert.Same(expected, DeploymentWizard.ResolveAlias(family, region, scope));
        }

        // The client's default model is what 'opus' means wherever it is offered.
        if (catalogue.ClaudeCodeDefault!.IsOfferedThrough(prefix, region))
        {
            Assert.Same(catalogue.ClaudeCodeDefault, DeploymentWizard.ResolveAlias(catalogue.ClaudeCodeDefault.Family, region, scope));
        }
    }

    [Fact]
    public async Task A_family_with_no_model_in_the_region_is_refused_with_the_families_that_have_one()
    {
        var catalogue = ModelCatalogue.Default;
        var missing = catalogue.Families.First(f => DeploymentWizard.ResolveAlias(f, "us-gov-west-1", "cross-region") is null);
        var given = new DeploymentInitAnswers { Name = "gov", Approach = "bearer-token", Region = "us-gov-west-1", Scope = "cross-region", SecretEnv = "K", Models = missing };
        var (yaml, diagnostics) = await DeploymentWizard.RunAsync(null, new StringWriter(), given, acceptDefaults: true);
        Assert.Null(yaml);
        Assert.Contains(diagnostics, d => d.Message.Contains($"'{missing}' is not valid", StringComparison.Ordinal) && d.Message.Contains("us-gov-west-1", StringComparison.Ordinal));
    }
}
