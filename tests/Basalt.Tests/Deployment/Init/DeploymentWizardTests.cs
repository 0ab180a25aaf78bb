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
        Assert.Equal("eu.anthropic.claude-opus-4-1-20250805-v1:0", group.Models[0].ResolvedId);
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
        Assert.Equal("global.anthropic.claude-sonnet-4-5-20250929-v1:0", file.Groups[0].Models[0].ResolvedId);
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
}
