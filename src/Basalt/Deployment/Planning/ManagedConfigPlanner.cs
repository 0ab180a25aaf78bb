using Basalt.Diagnostics.Reading;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Basalt.ManagedConfig;

namespace Basalt.Deployment.Planning;

/// <summary>
/// Builds each group's managed configuration from its deployment settings. It always writes
/// <c>inferenceCredentialKind</c> (cowork3p-reference §11 rule 8) so the app never has to guess between several
/// credential sources, and exactly one credential source per group (§5.2).
/// </summary>
public static class ManagedConfigPlanner
{
    public static DeploymentPlan Plan(DeploymentFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new DeploymentPlan(file, file.Groups.Select(PlanGroup).ToList());
    }

    public static GroupPlan PlanGroup(DeploymentGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var entries = new Dictionary<DeploymentPlatform, IReadOnlyList<PlannedEntry>>();
        foreach (var platform in group.Platforms)
        {
            entries[platform] = PlanEntries(group, platform);
        }

        return new GroupPlan(group, entries);
    }

    private static List<PlannedEntry> PlanEntries(DeploymentGroup group, DeploymentPlatform platform)
    {
        var list = new List<PlannedEntry>();
        var auth = group.Auth;
        void Add(string key, FieldValue? value)
        {
            if (value is not null)
            {
                list.Add(new PlannedEntry(key, value.Value, value.Location, value.IsSecret));
            }
        }

        void AddText(string key, string value) => list.Add(new PlannedEntry(key, value, auth.Location));

        list.Add(new PlannedEntry("inferenceProvider", group.Provider.ToWire(), group.Location));
        AddText("inferenceCredentialKind", auth.CredentialKind);
        if (group.Provider == InferenceProvider.Bedrock)
        {
            var aws = group.Aws!;
            Add("inferenceBedrockRegion", aws.Region);
            Add("inferenceBedrockBaseUrl", aws.BaseUrl);
            Add("inferenceBedrockServiceTier", aws.ServiceTier);
            switch (auth.Approach)
            {
                case AuthApproach.BearerToken:
                    Add("inferenceBedrockBearerToken", auth.BearerToken);
                    break;
                case AuthApproach.AwsSignIn:
                    Add("inferenceBedrockSsoStartUrl", auth.Sso!.StartUrl);
                    Add("inferenceBedrockSsoRegion", auth.Sso.Region);
                    Add("inferenceBedrockSsoAccountId", auth.Sso.AccountId);
                    Add("inferenceBedrockSsoRoleName", auth.Sso.RoleName);
                    break;
                case AuthApproach.NamedProfile:
                    Add("inferenceBedrockProfile", auth.Profile!.Name);
                    Add("inferenceBedrockAwsDir", auth.Profile.AwsDir);
                    Add("inferenceBedrockAwsCliPath", auth.Profile.AwsCliPath);
                    break;
                case AuthApproach.CredentialHelper:
                    AddHelper(list, auth, platform);
                    break;
            }
        }
        else
        {
            var gateway = auth.Gateway!;
            Add("inferenceGatewayBaseUrl", gateway.BaseUrl);
            if (gateway.ApiKey is not null)
            {
                Add("inferenceGatewayApiKey", gateway.ApiKey);
                AddText("inferenceGatewayAuthScheme", gateway.AuthScheme);
            }
            else if (gateway.OidcJson is not null)
            {
                Add("inferenceGatewayOidc", gateway.OidcJson);
            }
            else
            {
                AddHelper(list, auth, platform);
            }
        }

        if (group.Models.Count > 0)
        {
            list.Add(new PlannedEntry("inferenceModels", ModelsJson(group.Models), group.Models[0].Location));
        }

        Add("deploymentOrganizationUuid", group.Organization.Uuid);
        Add("deploymentDisplayName", group.Organization.DisplayName);
        Add("deploymentDisplaySubtitle", group.Organization.DisplaySubtitle);
        foreach (var setting in group.Policy.Concat(group.Telemetry))
        {
            list.Add(new PlannedEntry(setting.Key, setting.WireValue, setting.Location, setting.IsSecret));
        }

        return list;
    }

    private static void AddHelper(List<PlannedEntry> list, AuthSettings auth, DeploymentPlatform platform)
    {
        var helper = auth.Helper!;
        list.Add(new PlannedEntry("inferenceCredentialHelper", helper.InstallPaths[platform], auth.Location));
        if (helper.TtlSec is { } ttl)
        {
            list.Add(new PlannedEntry("inferenceCredentialHelperTtlSec", ttl.ToString(CultureInfo.InvariantCulture), auth.Location));
        }

        if (helper.TimeoutSec is { } timeout)
        {
            list.Add(new PlannedEntry("inferenceCredentialHelperTimeoutSec", timeout.ToString(CultureInfo.InvariantCulture), auth.Location));
        }
    }

    /// <summary>
    /// The <c>inferenceModels</c> JSON (§7.1): a plain string for an entry with nothing but an id, an object with
    /// <c>name</c>, <c>labelOverride</c>, <c>supports1m</c>, <c>prefer1m</c>, <c>anthropicFamilyTier</c>,
    /// <c>isFamilyDefault</c> otherwise. The first entry is the default model.
    /// </summary>
    public static string ModelsJson(IReadOnlyList<ModelSettings> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = DeploymentJson.Encoder }))
        {
            writer.WriteStartArray();
            foreach (var m in models)
            {
                if (m.Label is null && m.Tier is null && m.Supports1m is null && m.Prefer1m is null && m.IsFamilyDefault is null)
                {
                    writer.WriteStringValue(m.ResolvedId);
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("name", m.ResolvedId);
                if (m.Label is not null)
                {
                    writer.WriteString("labelOverride", m.Label);
                }

                if (m.Supports1m is { } s)
                {
                    writer.WriteBoolean("supports1m", s);
                }

                if (m.Prefer1m is { } p)
                {
                    writer.WriteBoolean("prefer1m", p);
                }

                if (m.Tier is not null)
                {
                    writer.WriteString("anthropicFamilyTier", m.Tier);
                }

                if (m.IsFamilyDefault is { } d)
                {
                    writer.WriteBoolean("isFamilyDefault", d);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
