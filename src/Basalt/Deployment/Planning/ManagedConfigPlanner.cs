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
            else if (gateway.UseHelper)
            {
                AddHelper(list, auth, platform);
            }

            // gatewaySignIn: 'interactive' alone makes the app find the gateway's own authorization server from
            // <base>/.well-known/oauth-authorization-server and sign in with the device grant (§6.3).
            if (gateway.Telemetry && !group.Telemetry.Any(t => t.Key == "otlpEndpoint"))
            {
                // The gateway ingests OTLP/HTTP on /v1/logs and /v1/metrics and authenticates it like any call, so the
                // app sends its inference credential to it (otlpAuthMode, §9.1, app 1.30096.1+).
                Add("otlpEndpoint", gateway.BaseUrl);
                AddText("otlpAuthMode", "inference-credential");
            }
        }

        if (group.Models.Count > 0)
        {
            list.Add(new PlannedEntry("inferenceModels", ModelsJson(group.Models, group.Provider), group.Models[0].Location));
        }

        if (PricingJson(group) is { } pricing)
        {
            list.Add(pricing);
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
    /// <c>isFamilyDefault</c> otherwise. The first entry is the default model. What the file leaves out comes from
    /// the model catalogue (issue 15): the family as <c>anthropicFamilyTier</c> (it pins bare aliases and the
    /// refusal fallback, §7.1) and, on Bedrock, <c>supports1m: true</c> for a model the catalogue marks as 1M-capable;
    /// a value written in the file always wins, and an id the catalogue does not know stays as written. Through a
    /// gateway the 1M window depends on what the gateway routes to and lists in <c>/v1/models</c> (§7.2), which the
    /// catalogue cannot know, so there only the file's <c>supports1m</c> counts.
    /// </summary>
    public static string ModelsJson(IReadOnlyList<ModelSettings> models, InferenceProvider provider = InferenceProvider.Bedrock)
    {
        ArgumentNullException.ThrowIfNull(models);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = DeploymentJson.Encoder }))
        {
            writer.WriteStartArray();
            foreach (var m in models)
            {
                var tier = m.Family;
                // Only "true" is taken from the catalogue: an absent supports1m already means "no 1M entry".
                var supports1m = m.Supports1m ?? (provider == InferenceProvider.Bedrock && m.Definition?.Supports1MContext == true ? true : null);
                if (m.Label is null && tier is null && supports1m is null && m.Prefer1m is null && m.IsFamilyDefault is null)
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

                if (supports1m is { } s)
                {
                    writer.WriteBoolean("supports1m", s);
                }

                if (m.Prefer1m is { } p)
                {
                    writer.WriteBoolean("prefer1m", p);
                }

                if (tier is not null)
                {
                    writer.WriteString("anthropicFamilyTier", tier);
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

    /// <summary>
    /// <c>inferenceModelPricing</c> (cowork3p-reference §2.3) from the catalogue's list prices, when the group turns
    /// pricing on (<c>inferenceModelPricingEnabled: true</c> in <c>policy:</c>) and does not write the list itself.
    /// One entry per model whose catalogue entry has at least one known price; an unknown price is left out, never
    /// guessed (the Usage page then shows no estimate for that token kind). Desktop has one cache-write price: the
    /// 5-minute one, the TTL prompt caching uses unless a request asks for 1 hour.
    /// </summary>
    internal static PlannedEntry? PricingJson(DeploymentGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var enabled = group.Policy.FirstOrDefault(p => p.Key == "inferenceModelPricingEnabled");
        if (enabled is null || enabled.WireValue is not ("true" or "1")
            || group.Policy.Any(p => p.Key == "inferenceModelPricing"))
        {
            return null;
        }

        var buffer = new MemoryStream();
        var count = 0;
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = DeploymentJson.Encoder }))
        {
            writer.WriteStartArray();
            foreach (var m in group.Models)
            {
                var prices = m.Definition?.Prices;
                if (prices is null || (prices.InputPerMTok ?? prices.OutputPerMTok ?? prices.CacheReadPerMTok ?? prices.CacheWrite5mPerMTok) is null)
                {
                    continue;
                }

                count++;
                writer.WriteStartObject();
                writer.WriteString("name", m.ResolvedId);
                Price(writer, "inputPerMtok", prices.InputPerMTok);
                Price(writer, "outputPerMtok", prices.OutputPerMTok);
                Price(writer, "cacheReadPerMtok", prices.CacheReadPerMTok);
                Price(writer, "cacheWritePerMtok", prices.CacheWrite5mPerMTok);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return count == 0 ? null : new PlannedEntry("inferenceModelPricing", Encoding.UTF8.GetString(buffer.ToArray()), enabled.Location);

        static void Price(Utf8JsonWriter writer, string name, decimal? value)
        {
            if (value is { } v)
            {
                writer.WriteNumber(name, v);
            }
        }
    }
}
