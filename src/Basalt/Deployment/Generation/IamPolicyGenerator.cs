using System.Text.Json;
using Basalt.ManagedConfig;

namespace Basalt.Deployment.Generation;

/// <summary>
/// The IAM Identity Center permission-set inline policy of seed 000 (<c>bedrock:InvokeModel</c> and
/// <c>bedrock:InvokeModelWithResponseStream</c> on <c>*</c>), plus <c>bedrock:CallWithBearerToken</c> when any
/// group authenticates with a Bedrock API key (seed 000, "Bearer token": without it requests fail even though the
/// key exists) and the read-only calls clients make to list models (Claude Code calls
/// <c>ListInferenceProfiles</c> at start, bedrock-and-clients §2; Desktop discovers models with a bearer token).
/// </summary>
public sealed class IamPolicyGenerator : IArtifactGenerator
{
    public const string RelativePath = "iam/permission-set-policy.json";

    public string Name => "iam-policy";

    public void Generate(ArtifactContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bedrockGroups = context.Plan.Groups.Where(g => g.Group.Provider == InferenceProvider.Bedrock).ToList();
        if (bedrockGroups.Count == 0)
        {
            return;
        }

        var bearer = bedrockGroups.Any(g => g.Group.Auth.UsesBedrockBearerToken);
        context.Add(RelativePath, Build(bearer));
    }

    internal static string Build(bool includeBearerToken) => GeneratedJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("Version", "2012-10-17");
        w.WriteStartArray("Statement");
        Statement(w, "InvokeClaude", ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]);
        Statement(w, "DiscoverModels", ["bedrock:GetInferenceProfile", "bedrock:ListFoundationModels", "bedrock:ListInferenceProfiles"]);
        if (includeBearerToken)
        {
            Statement(w, "CallWithBedrockApiKey", ["bedrock:CallWithBearerToken"]);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void Statement(Utf8JsonWriter w, string sid, string[] actions)
    {
        w.WriteStartObject();
        w.WriteString("Sid", sid);
        w.WriteString("Effect", "Allow");
        w.WriteStartArray("Action");
        foreach (var action in actions)
        {
            w.WriteStringValue(action);
        }

        w.WriteEndArray();
        w.WriteString("Resource", "*");
        w.WriteEndObject();
    }
}
