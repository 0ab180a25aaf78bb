using System.Text.RegularExpressions;
using Basalt.Aws;
using Basalt.Bedrock;
using Basalt.Bedrock.Models;
using Basalt.Deployment.Secrets;
using Basalt.Diagnostics;

namespace Basalt.Deployment.Init;

/// <summary>
/// The questions of <c>basalt deploy init</c>. Works the same interactively, with piped answers (one line per
/// question, an empty line takes the default) and fully from flags, so it can be scripted and tested. The
/// written file is parsed again before it is returned, so init never produces a file generate would reject
/// for its structure (secrets are referenced, not required to be set yet).
/// </summary>
public static partial class DeploymentWizard
{
    private static readonly string[] ApproachChoices = ["bearer-token", "aws-sign-in", "named-profile", "credential-helper", "gateway"];
    private static readonly string[] ScopeChoices = ["regional", "cross-region", "global"];

    /// <summary>
    /// The model an alias (<c>opus</c>, <c>sonnet</c>, <c>haiku</c>… — the catalogue's families) stands for: the
    /// newest of the family the catalogue offers in <paramref name="region"/> through the profile the scope uses
    /// (<c>regional</c>: in the region at all, <c>cross-region</c>: the region's geography, <c>global</c>: global.).
    /// Null when the family has no model there.
    /// </summary>
    public static ModelDefinition? ResolveAlias(string alias, string region, string scope, ModelCatalogue? catalogue = null)
    {
        ArgumentNullException.ThrowIfNull(alias);
        catalogue ??= ModelCatalogue.Default;
        var prefix = scope switch
        {
            "global" => "global",
            "cross-region" => BedrockModelId.SuggestedGeoPrefix(region),
            _ => null,
        };
        return scope == "cross-region" && prefix is null ? null : catalogue.NewestInFamily(alias, region, prefix);
    }

    /// <summary>
    /// Asks for every answer not given, then returns the YAML text, or null with diagnostics when an answer is
    /// missing or invalid and cannot be asked again (non-interactive input).
    /// </summary>
    /// <param name="input">Where answers come from (stdin); null for none (flags and defaults only).</param>
    /// <param name="prompts">Where questions are written (stdout).</param>
    /// <param name="acceptDefaults">Do not ask; take defaults for everything not given.</param>
    public static async Task<(string? Yaml, IReadOnlyList<Diagnostic> Diagnostics)> RunAsync(
        TextReader? input, TextWriter prompts, DeploymentInitAnswers given, bool acceptDefaults, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(given);
        var asker = new Asker(acceptDefaults ? null : input, prompts, cancellationToken);
        try
        {
            var a = given;
            var name = await asker.AskAsync("Deployment name", a.Name, "claude", v => NamePattern().IsMatch(v), "lower case letters, digits and '-'").ConfigureAwait(false);
            var organization = await asker.AskAsync("Organization name", a.Organization, name, v => v.Length > 0, "a name").ConfigureAwait(false);
            var approach = await asker.AskAsync($"Authentication ({string.Join(", ", ApproachChoices)})", a.Approach, "aws-sign-in", ApproachChoices.Contains, string.Join(", ", ApproachChoices)).ConfigureAwait(false);
            var gateway = approach == "gateway";
            var region = await asker.AskAsync("AWS region of Bedrock", a.Region, "us-west-2", AwsPartition.IsValidRegion, "a region such as us-west-2 or us-gov-west-1").ConfigureAwait(false);
            var scope = gateway ? "cross-region" : await asker.AskAsync($"Inference-profile scope ({string.Join(", ", ScopeChoices)})", a.Scope,
                "cross-region", ScopeChoices.Contains, string.Join(", ", ScopeChoices)).ConfigureAwait(false);
            var needsAccount = approach is "aws-sign-in" or "named-profile" or "credential-helper";
            var account = needsAccount
                ? await asker.AskAsync("AWS account id (12 digits)", a.AccountId, null, v => AccountPattern().IsMatch(v), "12 digits").ConfigureAwait(false)
                : a.AccountId;
            var w = new YamlBuilder();
            w.Comment("Basalt deployment file: 'basalt deploy generate basalt.yaml -o out/' turns it into every artifact.");
            w.Comment("Secrets are references (${env:NAME} or ${file:path}), never written here.");
            w.Line(0, "version", "1");
            w.Line(0, "name", name);
            w.Section(0, "organization");
            w.Line(1, "name", organization);
            w.Line(1, "uuid", Guid.NewGuid().ToString("D"));
            w.Line(1, "displayName", organization);
            w.Line(0, "provider", gateway ? "gateway" : "bedrock");
            w.Section(0, "aws");
            w.Line(1, "region", region);
            w.Line(1, "scope", scope);
            if (account is not null)
            {
                w.Line(1, "accountId", account, quote: true);
            }

            w.Section(0, "auth");
            w.Line(1, "approach", approach);
            switch (approach)
            {
                case "bearer-token":
                    var tokenEnv = await asker.AskAsync("Environment variable holding the Bedrock API key", a.SecretEnv, "BEDROCK_API_KEY", v => EnvPattern().IsMatch(v), "an upper-case variable name").ConfigureAwait(false);
                    w.Line(1, "bearerToken", $"${{env:{tokenEnv}}}", quote: true);
                    break;
                case "aws-sign-in":
                    await SsoAsync(asker, w, a, required: true).ConfigureAwait(false);
                    break;
                case "named-profile":
                    var profile = await asker.AskAsync("AWS profile name", a.ProfileName, "claude-cowork", v => ProfilePattern().IsMatch(v), "letters, digits, '-', '_' or '.'").ConfigureAwait(false);
                    w.Section(1, "profile");
                    w.Line(2, "name", profile);
                    await SsoAsync(asker, w, a, required: false).ConfigureAwait(false);
                    break;
                case "credential-helper":
                    var issuer = await asker.AskAsync("OIDC issuer URL of your IdP", a.OidcIssuer, null, IsHttps, "an https:// URL").ConfigureAwait(false);
                    var clientId = await asker.AskAsync("OIDC client id of the app registration", a.OidcClientId, null, v => v.Length > 0, "a client id").ConfigureAwait(false);
                    w.Section(1, "helper");
                    w.Line(2, "source", "oidc");
                    w.Section(2, "oidc");
                    w.Line(3, "issuer", issuer);
                    w.Line(3, "clientId", clientId, quote: true);
                    break;
                default:
                    var url = await asker.AskAsync("Gateway base URL", a.GatewayUrl, null, IsHttps, "an https:// URL").ConfigureAwait(false);
                    var keyEnv = await asker.AskAsync("Environment variable holding the gateway API key", a.SecretEnv, "GATEWAY_API_KEY", v => EnvPattern().IsMatch(v), "an upper-case variable name").ConfigureAwait(false);
                    w.Section(1, "gateway");
                    w.Line(2, "baseUrl", url);
                    w.Line(2, "apiKey", $"${{env:{keyEnv}}}", quote: true);
                    break;
            }

            // The aliases are the catalogue's families that have a model in this region and scope.
            var families = ModelCatalogue.Default.Families.Where(f => ResolveAlias(f, region, scope) is not null).ToList();
            var proposed = ModelCatalogue.Default.DefaultFamilies.Where(families.Contains).ToList();
            var defaultModels = string.Join(',', proposed.Count > 0 ? proposed : families.Take(1));
            var models = await asker.AskAsync($"Models, default first ({string.Join(", ", families)})", a.Models, defaultModels,
                v => Split(v).Count > 0 && Split(v).All(families.Contains), $"a comma-separated list of {string.Join(", ", families)} (those with a model in {region}, {scope} scope)").ConfigureAwait(false);
            w.Section(0, "models");
            foreach (var family in Split(models))
            {
                var model = ResolveAlias(family, region, scope)!;
                w.Section(1, family);
                w.Line(2, "id", model.FoundationModelId!);
                w.Line(2, "label", model.DisplayName);
                w.Line(2, "tier", family);
            }

            w.Section(0, "policy");
            w.Line(1, "disableDeploymentModeChooser", "true");
            var groups = await asker.AskAsync("User groups, comma-separated (empty for one group)", a.Groups, string.Empty, v => v.Length == 0 || Split(v).All(g => NamePattern().IsMatch(g)), "names of lower case letters, digits and '-'").ConfigureAwait(false);
            if (Split(groups).Count > 0)
            {
                w.Section(0, "groups");
                foreach (var group in Split(groups))
                {
                    w.Section(1, group);
                    w.Line(2, "description", $"Users of {group}", quote: true);
                }
            }

            var yaml = w.ToString();
            var check = DeploymentFileParser.Parse(yaml, "basalt.yaml", new SecretReferenceResolver(Environment.CurrentDirectory, _ => "placeholder"));
            return check.Diagnostics.Any(d => d.IsError) ? (null, check.Diagnostics) : (yaml, []);
        }
        catch (MissingAnswerException ex)
        {
            return (null, [new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.MissingKey, ex.Message, Fix: ex.Fix)]);
        }
    }

    private static async Task SsoAsync(Asker asker, YamlBuilder w, DeploymentInitAnswers a, bool required)
    {
        var startUrl = await asker.AskAsync(required ? "AWS access portal URL" : "AWS access portal URL (empty if the devices already have the profile)", a.SsoStartUrl,
            required ? null : string.Empty, v => (!required && v.Length == 0) || IsHttps(v), "https://d-xxxxxxxxxx.awsapps.com/start").ConfigureAwait(false);
        if (startUrl.Length == 0)
        {
            return;
        }

        var ssoRegion = await asker.AskAsync("IAM Identity Center region", a.SsoRegion, "us-east-1", AwsPartition.IsValidRegion, "a region such as us-east-1").ConfigureAwait(false);
        var role = await asker.AskAsync("Permission set name", a.RoleName, "ClaudeCoworkAccess", v => v.Length > 0, "a name").ConfigureAwait(false);
        w.Section(1, "sso");
        w.Line(2, "startUrl", startUrl);
        w.Line(2, "region", ssoRegion);
        w.Line(2, "roleName", role);
    }

    private static bool IsHttps(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    private static List<string> Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();

    [GeneratedRegex("^[A-Z_][A-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ProfilePattern();

    private sealed class MissingAnswerException(string message, string fix) : Exception(message)
    {
        public string Fix { get; } = fix;
    }

    /// <summary>One question at a time: a given answer wins, then a line of input, then the default.</summary>
    private sealed class Asker(TextReader? input, TextWriter prompts, CancellationToken cancellationToken)
    {
        private const int Attempts = 3;

        public async Task<string> AskAsync(string question, string? given, string? defaultValue, Func<string, bool> valid, string expected)
        {
            if (given is not null)
            {
                return valid(given) ? given : throw new MissingAnswerException($"'{given}' is not valid for \"{question}\"; expected {expected}", "pass a valid value for this option");
            }

            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                if (input is null)
                {
                    break;
                }

                await prompts.WriteAsync(defaultValue is null ? $"{question}: " : $"{question} [{defaultValue}]: ").ConfigureAwait(false);
                await prompts.FlushAsync(cancellationToken).ConfigureAwait(false);
                var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null)
                {
                    // End of piped input: take defaults from here on.
                    await prompts.WriteLineAsync().ConfigureAwait(false);
                    input = null;
                    break;
                }

                var answer = line.Trim();
                if (answer.Length == 0 && defaultValue is not null)
                {
                    return defaultValue;
                }

                if (answer.Length > 0 && valid(answer))
                {
                    return answer;
                }

                await prompts.WriteLineAsync($"  expected {expected}").ConfigureAwait(false);
            }

            return defaultValue ?? throw new MissingAnswerException($"no answer for \"{question}\"; expected {expected}", "answer the question, or pass the matching option (see 'basalt deploy init --help')");
        }
    }

    /// <summary>Writes the small YAML subset init needs, quoting values only when YAML would misread them.</summary>
    private sealed class YamlBuilder
    {
        private readonly System.Text.StringBuilder _text = new();

        public void Comment(string text) => _text.Append("# ").Append(text).Append('\n');

        public void Section(int indent, string key) => _text.Append(' ', indent * 2).Append(key).Append(":\n");

        public void Line(int indent, string key, string value, bool quote = false)
            => _text.Append(' ', indent * 2).Append(key).Append(": ").Append(quote || NeedsQuotes(value) ? Quote(value) : value).Append('\n');

        public override string ToString() => _text.ToString();

        private static bool NeedsQuotes(string value)
            => value.Length == 0 || value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal)
                || "{}[]&*!|>'\"%@`#,".Contains(value[0], StringComparison.Ordinal) || value != value.Trim();

        private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
