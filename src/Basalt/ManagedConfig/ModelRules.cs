using System.Text.Json;
using Basalt.Bedrock;
using Basalt.Bedrock.Models;

namespace Basalt.ManagedConfig;

/// <summary>
/// <c>inferenceModels</c> entries (cowork3p-reference §7): entry shape, 1M flags, family tiers, duplicates, and for
/// Bedrock the identifier form (system inference profile, foundation ID, ARN) against the configured region.
/// </summary>
internal static class ModelRules
{
    private static IReadOnlyList<string> FamilyTiers => ModelCatalogue.Default.Families;

    public static void Apply(ValidationContext ctx)
    {
        if (ctx.Json("inferenceModels") is not { } models)
        {
            return;
        }

        const string key = "inferenceModels";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = -1;
        foreach (var item in models.EnumerateArray())
        {
            index++;
            string? name;
            string? label = null;
            if (item.ValueKind == JsonValueKind.String)
            {
                name = item.GetString();
            }
            else
            {
                name = item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                if (string.IsNullOrWhiteSpace(name))
                {
                    ctx.Error(ConfigDiagnosticCodes.ModelEntryInvalid, key,
                        $"inferenceModels[{index}] has no \"name\" (the exact provider model ID, required).",
                        "Add \"name\": \"<model id>\" to the entry.");
                    continue;
                }

                label = item.TryGetProperty("labelOverride", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
                CheckEntryFields(ctx, item, index, name!);
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                ctx.Error(ConfigDiagnosticCodes.ModelEntryInvalid, key, $"inferenceModels[{index}] is an empty string.", "Remove it or write the model ID.");
                continue;
            }

            if (!seen.Add(name!))
            {
                ctx.Warning(ConfigDiagnosticCodes.DuplicateModel, key, $"inferenceModels lists \"{name}\" more than once (entry {index}).", "Remove the duplicate.");
            }

            if (ctx.Provider == InferenceProvider.Bedrock)
            {
                CheckBedrockId(ctx, name!, label, index);
            }

            if (ctx.Bool("modelDiscoveryEnabled") == false && FamilyTiers.Contains(name!.Split('[')[0], StringComparer.Ordinal))
            {
                ctx.Warning(ConfigDiagnosticCodes.DiscoveryOffWithAlias, key,
                    $"inferenceModels[{index}] is the bare alias \"{name}\", which only model discovery can resolve, but modelDiscoveryEnabled is false.",
                    "List full model IDs, or remove modelDiscoveryEnabled.");
            }
        }
    }

    private static void CheckEntryFields(ValidationContext ctx, JsonElement item, int index, string name)
    {
        const string key = "inferenceModels";
        foreach (var flag in new[] { "supports1m", "prefer1m", "isFamilyDefault" })
        {
            if (item.TryGetProperty(flag, out var f) && f.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                ctx.Error(ConfigDiagnosticCodes.ModelEntryInvalid, key,
                    $"inferenceModels[{index}].{flag} must be a JSON boolean, got {ValueRules.Kind(f)}.", $"Write \"{flag}\": true or false without quotes.");
            }
        }

        if (item.TryGetProperty("labelOverride", out var label) && label.ValueKind != JsonValueKind.String)
        {
            ctx.Error(ConfigDiagnosticCodes.ModelEntryInvalid, key,
                $"inferenceModels[{index}].labelOverride must be a string, got {ValueRules.Kind(label)}.", "Quote the label.");
        }

        var prefer = item.TryGetProperty("prefer1m", out var p) && p.ValueKind == JsonValueKind.True;
        var supports = item.TryGetProperty("supports1m", out var s) && s.ValueKind == JsonValueKind.True;
        if (prefer && !supports)
        {
            ctx.Warning(ConfigDiagnosticCodes.Prefer1mWithoutSupports1m, key,
                $"inferenceModels[{index}] (\"{name}\") sets prefer1m without supports1m; prefer1m has no effect then.",
                "Add \"supports1m\": true if the deployment really serves the 1M context window, or drop prefer1m.");
        }

        if (item.TryGetProperty("anthropicFamilyTier", out var tier)
            && (tier.ValueKind != JsonValueKind.String || !FamilyTiers.Contains(tier.GetString(), StringComparer.Ordinal)))
        {
            ctx.Warning(ConfigDiagnosticCodes.UnknownFamilyTier, key,
                $"inferenceModels[{index}].anthropicFamilyTier is {(tier.ValueKind == JsonValueKind.String ? $"\"{tier.GetString()}\"" : ValueRules.Kind(tier))}; the app drops an unknown tier and keeps the entry.",
                $"Use one of: {string.Join(", ", FamilyTiers)}.");
        }
    }

    private static void CheckBedrockId(ValidationContext ctx, string name, string? label, int index)
    {
        const string key = "inferenceModels";
        var region = ctx.Value("inferenceBedrockRegion");
        if (!BedrockModelId.TryParse(name, out var id))
        {
            if (BedrockModelId.LooksLikeUnknownGeoPrefix(name))
            {
                ctx.Error(ConfigDiagnosticCodes.UnknownGeoPrefix, key,
                    $"inferenceModels[{index}] \"{name}\" has the inference-profile prefix \"{name.Split('.')[0]}\", which AWS does not publish (known: {string.Join(", ", BedrockModelId.GeoPrefixes.Keys)}).",
                    region is not null && BedrockModelId.SuggestedGeoPrefix(region) is { } g ? $"Use \"{g}.{string.Join('.', name.Split('.').Skip(1))}\"." : "Use a published prefix such as us., eu., apac. or global.");
                return;
            }

            ctx.Warning(ConfigDiagnosticCodes.NotBedrockModelId, key,
                $"inferenceModels[{index}] \"{name}\" is not a Bedrock model ID (expected an inference-profile ID such as {ExampleProfileId}, a foundation-model ID, or a Bedrock ARN).",
                "Use the inference-profile ID shown in the Bedrock console (Cross-region inference).");
            return;
        }

        switch (id.Kind)
        {
            case BedrockModelIdKind.FoundationModel when id.IsAnthropic:
                var prefix = region is null ? "us" : BedrockModelId.SuggestedGeoPrefix(region) ?? "global";
                ctx.Warning(ConfigDiagnosticCodes.FoundationIdWithoutProfile, key,
                    $"inferenceModels[{index}] \"{name}\" is a foundation-model ID; current Claude models on Bedrock are invoked on demand only through an inference profile.",
                    $"Use the system inference profile \"{prefix}.{name}\" (or global.{name} where offered).");
                break;
            case BedrockModelIdKind.ApplicationInferenceProfileArn or BedrockModelIdKind.ProvisionedModelArn or BedrockModelIdKind.CustomModelArn when string.IsNullOrWhiteSpace(label):
                ctx.Warning(ConfigDiagnosticCodes.ArnWithoutLabel, key,
                    $"inferenceModels[{index}] is {Describe(id.Kind)} without a labelOverride, so the picker shows the raw ARN.",
                    $"Write it as {{\"name\": \"{name}\", \"labelOverride\": \"Claude Sonnet (team)\"}}.");
                break;
        }

        if (region is not null && Aws.AwsPartition.IsValidRegion(region) && !id.IsUsableFrom(region))
        {
            ctx.Warning(ConfigDiagnosticCodes.ModelRegionMismatch, key,
                id.IsArn
                    ? $"inferenceModels[{index}] is an ARN in {id.Partition}/{id.Region}, but inferenceBedrockRegion is {region} ({Aws.AwsPartition.ForRegion(region)}); Bedrock resolves ARNs only in their own region and partition."
                    : $"inferenceModels[{index}] \"{name}\" is a \"{id.GeoPrefix}.\" inference profile, which does not route from {region}.",
                id.IsArn ? "Use the ARN of the profile created in inferenceBedrockRegion, or change the region." : $"Use the \"{BedrockModelId.SuggestedGeoPrefix(region) ?? "global"}.\" profile for {region}.");
        }

        CheckAgainstCatalogue(ctx, name, id, region, index);
    }

    /// <summary>An example inference-profile id for messages: the client's default model through us.</summary>
    internal static string ExampleProfileId => ModelCatalogue.Default.ClaudeCodeDefault?.ProfileId("us") ?? "us.anthropic.…";

    /// <summary>
    /// The model catalogue's view of a configured Claude model: unknown ids (with a "did you mean"), retired models,
    /// models not offered in the region or through the profile, and models older than the family's newest there.
    /// </summary>
    private static void CheckAgainstCatalogue(ValidationContext ctx, string name, BedrockModelId id, string? region, int index)
    {
        const string key = "inferenceModels";
        if (!id.IsAnthropic || id.NeedsLabel)
        {
            return;
        }

        var catalogue = ModelCatalogue.Default;
        var model = catalogue.Find(name);
        if (model is null)
        {
            var guess = ModelIdSuggester.Suggest(catalogue, name);
            ctx.Warning(ConfigDiagnosticCodes.UnknownClaudeModel, key,
                $"inferenceModels[{index}] \"{name}\" is not a Claude model in Basalt's model catalogue; Bedrock answers \"The provided model identifier is invalid.\" for ids it does not know.",
                guess is null ? "Pick an id from 'basalt models list'." : $"Did you mean \"{ModelIdSuggester.IdLike(guess, name)}\" ({guess.DisplayName})?");
            return;
        }

        var usable = region is not null && Aws.AwsPartition.IsValidRegion(region);
        if (model.Retired || !model.IsOnBedrock)
        {
            var target = ModelIdSuggester.Replacement(catalogue, model, usable ? region : null, id.GeoPrefix);
            ctx.Warning(ConfigDiagnosticCodes.RetiredModel, key,
                model.Retired ? $"inferenceModels[{index}] \"{name}\" is {model.DisplayName}, which is retired: requests to it fail." : $"inferenceModels[{index}] \"{name}\" is {model.DisplayName}, which is not offered on Bedrock.",
                target is null ? "Choose a current model ('basalt models list')." : $"Use \"{ModelIdSuggester.IdLike(target, name)}\" ({target.DisplayName}).");
            return;
        }

        if (id.GeoPrefix is { } prefix && !model.ProfilePrefixes.Contains(prefix))
        {
            ctx.Warning(ConfigDiagnosticCodes.ModelNotOffered, key,
                $"inferenceModels[{index}] \"{name}\": {model.DisplayName} has no \"{prefix}.\" inference profile (offered through: {string.Join(", ", model.ProfilePrefixes.Select(p => p + "."))}).",
                model.ProfilePrefixes.FirstOrDefault(p => !usable || model.IsOfferedThrough(p, region!)) is { } other ? $"Use \"{model.ProfileId(other)}\"." : "Choose a model offered in the region.");
            return;
        }

        if (usable && !model.IsOfferedIn(region!))
        {
            ctx.Warning(ConfigDiagnosticCodes.ModelNotOffered, key,
                $"inferenceModels[{index}] \"{name}\": {model.DisplayName} is not offered in {region} (offered through: {string.Join(", ", model.ProfilePrefixes.Select(p => p + "."))}).",
                catalogue.NewestInFamily(model.Family, region) is { } there ? $"Use {there.DisplayName} (\"{ModelIdSuggester.IdLike(there, name)}\") or change inferenceBedrockRegion." : "Change inferenceBedrockRegion or the model.");
            return;
        }

        if (catalogue.NewestInFamily(model.Family, usable ? region : null, id.GeoPrefix) is { } newest && newest.VersionNumber > model.VersionNumber)
        {
            ctx.Info(ConfigDiagnosticCodes.OlderThanNewestModel, key,
                $"inferenceModels[{index}] \"{name}\" is {model.DisplayName}; the newest {model.Family} offered here is {newest.DisplayName}.",
                $"Consider \"{ModelIdSuggester.IdLike(newest, name)}\".");
        }
    }

    private static string Describe(BedrockModelIdKind kind) => kind switch
    {
        BedrockModelIdKind.ApplicationInferenceProfileArn => "an application-inference-profile ARN",
        BedrockModelIdKind.ProvisionedModelArn => "a provisioned-throughput ARN",
        _ => "a custom-model ARN",
    };
}
