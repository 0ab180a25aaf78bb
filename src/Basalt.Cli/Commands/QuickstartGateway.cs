using System.Security.Cryptography;
using System.Text;
using Basalt.Bedrock;
using Basalt.Bedrock.Models;
using Basalt.Deployment.Secrets;
using Basalt.Gateway.Configuration;

namespace Basalt.Cli.Commands;

/// <summary>
/// The quickstart's gateway configuration (issue 8 item 9): one upstream (the local emulator, signed with the
/// example user's key), one model per Claude model the emulator offers (the catalogue's client id, routed to the
/// discovered inference profile, so Claude Code's Anthropic ids and Bedrock ids both resolve), and one fresh API key.
/// Written as the same YAML <c>basalt gateway serve</c> reads and parsed by the one reader,
/// <see cref="GatewayConfigReader"/>; secrets are passed by <c>${env:…}</c> reference, never in the text.
/// </summary>
internal sealed class QuickstartGateway
{
    private const string KeyVariable = "QUICKSTART_GATEWAY_KEY";
    private const string AccessKeyVariable = "QUICKSTART_AWS_ACCESS_KEY_ID";
    private const string SecretVariable = "QUICKSTART_AWS_SECRET_ACCESS_KEY";

    private QuickstartGateway(GatewayOptions options, string apiKey)
    {
        Options = options;
        ApiKey = apiKey;
    }

    public GatewayOptions Options { get; }

    /// <summary>The one key the gateway accepts, for the local user; printed by <c>--serve</c> to paste.</summary>
    public string ApiKey { get; }

    public static QuickstartGateway Create(Uri emulator, string region, string user, Aws.AwsCredentials credentials, IReadOnlyList<ClaudeModelOption> models, ModelCatalogue catalogue)
    {
        var apiKey = "bsk_quickstart_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var endpoint = emulator.ToString().TrimEnd('/');
        var y = new StringBuilder();
        y.AppendLine("listen: [ \"http://127.0.0.1:0\" ]");
        y.AppendLine("upstreams:");
        y.AppendLine("  emulator:");
        y.AppendLine($"    region: {region}");
        y.AppendLine($"    endpoint: {endpoint}");
        y.AppendLine($"    credentials: {{ source: static, accessKeyId: \"${{env:{AccessKeyVariable}}}\", secretAccessKey: \"${{env:{SecretVariable}}}\" }}");
        y.AppendLine("models:");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            var id = catalogue.Find(model.Id)?.ClientId ?? model.Id;
            if (seen.Add(id))
            {
                y.AppendLine($"  \"{id}\":");
                y.AppendLine($"    routes: [ {{ upstream: emulator, model: \"{model.Id}\" }} ]");
            }
        }

        y.AppendLine("groups:");
        y.AppendLine("  quickstart: { models: [\"*\"] }");
        y.AppendLine("apiKeys:");
        y.AppendLine($"  - {{ id: quickstart, user: {user}, groups: [quickstart], key: \"${{env:{KeyVariable}}}\" }}");
        y.AppendLine("usage: { enabled: false }");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KeyVariable] = apiKey,
            [AccessKeyVariable] = credentials.AccessKeyId,
            [SecretVariable] = credentials.SecretAccessKey,
        };
        var result = GatewayConfigReader.Parse(y.ToString(), "(quickstart gateway)", new SecretReferenceResolver(Environment.CurrentDirectory, environment.GetValueOrDefault));
        return result.Options is { } options
            ? new QuickstartGateway(options, apiKey)
            : throw new InvalidOperationException("the quickstart's gateway configuration is invalid: " + string.Join("; ", result.Diagnostics));
    }

    /// <summary>
    /// One block of <c>export NAME=value</c> lines per way of pointing Claude Code at this gateway (bedrock-and-clients §5,
    /// gateway.md §1.1–1.2): the Messages API with the key as a bearer token, and Bedrock mode with signing skipped.
    /// </summary>
    public string ExportBlocks(Uri gateway, string region)
    {
        var url = gateway.ToString().TrimEnd('/');
        var b = new StringBuilder();
        b.AppendLine("# Claude Code, Anthropic mode");
        b.AppendLine($"export ANTHROPIC_BASE_URL={url}");
        b.AppendLine($"export ANTHROPIC_AUTH_TOKEN={ApiKey}");
        b.AppendLine();
        b.AppendLine("# Claude Code, Bedrock mode");
        b.AppendLine("export CLAUDE_CODE_USE_BEDROCK=1");
        b.AppendLine($"export AWS_REGION={region}");
        b.AppendLine($"export ANTHROPIC_BEDROCK_BASE_URL={url}");
        b.AppendLine("export CLAUDE_CODE_SKIP_BEDROCK_AUTH=1");
        b.AppendLine($"export ANTHROPIC_AUTH_TOKEN={ApiKey}");
        return b.ToString();
    }
}
