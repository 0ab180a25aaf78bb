using System.Text;
using Basalt.Credentials.Settings;
using Basalt.Deployment;
using Basalt.Diagnostics;
using Basalt.Testing;
using Basalt.Tests.Deployment.Packaging;

namespace Basalt.Tests.Deployment;

/// <summary><c>basalt deploy generate</c> ships the helper's settings with each group's MDM profile.</summary>
public sealed class CredentialHelperSettingsGeneratorTests
{
    [Fact]
    public void Oidc_helper_group_gets_settings_the_helper_reads_with_the_cloudformation_role()
    {
        var file = PackageFixture.Example("credential-helper.yaml");

        var result = PackageFixture.Generate(file);

        var artifact = Assert.Single(result.Artifacts, a => a.RelativePath == "default/credential-helper/basalt-credential.json");
        Assert.False(artifact.ContainsSecret);
        var diagnostics = new List<Diagnostic>();
        var settings = CredentialHelperSettings.Parse(Encoding.UTF8.GetString(artifact.Content.Span), "basalt-credential.json", diagnostics);
        Assert.NotNull(settings);
        Assert.Empty(diagnostics);
        var profile = settings.GetProfile(null)!;
        Assert.Equal("claude-oidc", profile.Name);
        Assert.Equal(CredentialSourceKind.Oidc, profile.Source);
        Assert.Equal("us-east-2", profile.Region);
        Assert.True(profile.Output.BedrockToken);
        Assert.Equal("https://login.example.com/oauth2/default", profile.Oidc!.Issuer);
        Assert.Equal("0oa1b2c3d4EXAMPLE", profile.Oidc.ClientId);
        Assert.Equal("arn:aws:iam::123456789012:role/ClaudeBedrockFederated", profile.Oidc.RoleArn);
        Assert.Equal(43200, profile.Oidc.SessionDurationSeconds);

        // The role the settings name is the one the generated CloudFormation creates.
        var template = Encoding.UTF8.GetString(Assert.Single(result.Artifacts, a => a.RelativePath.EndsWith(".yaml", StringComparison.Ordinal) && a.RelativePath.Contains("cloudformation", StringComparison.Ordinal)).Content.Span);
        Assert.Contains("RoleName: ClaudeBedrockFederated", template.Replace("'", string.Empty, StringComparison.Ordinal).Replace("\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Aws_sign_in_helper_group_gets_an_identity_center_profile_sharing_the_sso_session()
    {
        using var directory = new TempDirectory("helper-settings");
        var file = PackageFixture.Parse(PackageFixture.AwsSignInHelperYaml, directory);

        var settings = CredentialHelperSettingsGenerator.Build(Assert.Single(Basalt.Deployment.Planning.ManagedConfigPlanner.Plan(file).Groups));

        var profile = settings!.GetProfile(null)!;
        Assert.Equal("claude-sso", profile.Name);
        Assert.Equal(CredentialSourceKind.IdentityCenter, profile.Source);
        Assert.Equal("https://examplehealth.awsapps.com/start", profile.StartUrl);
        Assert.Equal("eu-west-1", profile.SsoRegion);
        Assert.Equal("444455556666", profile.AccountId);
        Assert.Equal("ClaudeCoworkAccess", profile.RoleName);
        Assert.Equal(file.Groups[0].Auth.Helper!.Sso!.SessionName, profile.SsoSession);
        Assert.Equal("eu-central-1", profile.Region);
        Assert.Empty(ValidateRoundTrip(settings));
    }

    [Fact]
    public void Groups_without_the_helper_get_no_helper_settings()
    {
        var result = PackageFixture.Generate(PackageFixture.Example("aws-sign-in.yaml"));

        Assert.DoesNotContain(result.Artifacts, a => a.RelativePath.Contains(CredentialHelperSettingsGenerator.Folder, StringComparison.Ordinal));
    }

    private static List<Diagnostic> ValidateRoundTrip(CredentialHelperSettings settings)
    {
        var diagnostics = new List<Diagnostic>();
        Assert.NotNull(CredentialHelperSettings.Parse(settings.ToJson(), "x.json", diagnostics));
        return diagnostics;
    }
}
