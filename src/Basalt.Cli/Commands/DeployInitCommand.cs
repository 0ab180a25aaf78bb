using System.CommandLine;
using Basalt.Deployment.Init;
using Basalt.IO;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt deploy init</c>: asks the questions of a deployment on stdin/stdout and writes <c>basalt.yaml</c>.
/// Every answer also has an option, and piped input works line by line, so it runs unattended.
/// </summary>
internal static class DeployInitCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "Where to write the deployment file.", DefaultValueFactory = _ => "basalt.yaml" };
        var force = new Option<bool>("--force") { Description = "Replace an existing file." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Ask nothing; use the defaults for every answer not given as an option." };
        var name = new Option<string?>("--name") { Description = "Deployment name (lower case, digits, '-')." };
        var organization = new Option<string?>("--organization") { Description = "Organization name shown in MDM profiles." };
        var approach = new Option<string?>("--auth") { Description = "bearer-token, aws-sign-in, named-profile, credential-helper or gateway." };
        var region = new Option<string?>("--region") { Description = "AWS region of Bedrock, e.g. us-west-2 or us-gov-west-1." };
        var scope = new Option<string?>("--scope") { Description = "Inference-profile scope: regional, cross-region or global." };
        var account = new Option<string?>("--account-id") { Description = "12-digit AWS account id." };
        var startUrl = new Option<string?>("--sso-start-url") { Description = "AWS access portal URL (IAM Identity Center)." };
        var ssoRegion = new Option<string?>("--sso-region") { Description = "IAM Identity Center home region." };
        var role = new Option<string?>("--role-name") { Description = "IAM Identity Center permission-set name." };
        var profile = new Option<string?>("--profile") { Description = "AWS profile name (named-profile approach)." };
        var secretEnv = new Option<string?>("--secret-env") { Description = "Environment variable that will hold the Bedrock API key or gateway key." };
        var issuer = new Option<string?>("--oidc-issuer") { Description = "OIDC issuer URL (credential-helper approach)." };
        var clientId = new Option<string?>("--oidc-client-id") { Description = "OIDC client id (credential-helper approach)." };
        var gatewayUrl = new Option<string?>("--gateway-url") { Description = "Gateway base URL (gateway approach)." };
        var models = new Option<string?>("--models") { Description = "Comma-separated model families, default first: opus, sonnet, haiku." };
        var groups = new Option<string?>("--groups") { Description = "Comma-separated user-group names." };
        var command = new Command("init", "Write a basalt.yaml by answering a few questions (or from options and piped answers).");
        foreach (var option in new Option[] { output, force, yes, name, organization, approach, region, scope, account, startUrl, ssoRegion, role, profile, secretEnv, issuer, clientId, gatewayUrl, models, groups })
        {
            command.Options.Add(option);
        }

        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var path = parse.GetValue(output)!;
            if (File.Exists(path) && !parse.GetValue(force))
            {
                console.Error.WriteLine($"{path}: already exists; pass --force to replace it or -o to write elsewhere.");
                return 1;
            }

            var answers = new DeploymentInitAnswers
            {
                Name = parse.GetValue(name),
                Organization = parse.GetValue(organization),
                Approach = parse.GetValue(approach),
                Region = parse.GetValue(region),
                Scope = parse.GetValue(scope),
                AccountId = parse.GetValue(account),
                SsoStartUrl = parse.GetValue(startUrl),
                SsoRegion = parse.GetValue(ssoRegion),
                RoleName = parse.GetValue(role),
                ProfileName = parse.GetValue(profile),
                SecretEnv = parse.GetValue(secretEnv),
                OidcIssuer = parse.GetValue(issuer),
                OidcClientId = parse.GetValue(clientId),
                GatewayUrl = parse.GetValue(gatewayUrl),
                Models = parse.GetValue(models),
                Groups = parse.GetValue(groups),
            };
            var (yaml, diagnostics) = await DeploymentWizard.RunAsync(console.In, console.Out, answers, parse.GetValue(yes), ct).ConfigureAwait(false);
            if (yaml is null)
            {
                return DeployConsole.Fail(console, diagnostics);
            }

            await AtomicFile.WriteAllTextAsync(path, yaml, cancellationToken: ct).ConfigureAwait(false);
            console.Out.WriteLine($"Wrote {path}. Next: basalt deploy generate {path} -o out/");
            return 0;
        }));
        return command;
    }
}
