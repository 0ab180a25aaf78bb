using Basalt.Bedrock;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// The models, system inference profiles and application inference profiles of the emulated account and region,
/// built once from <see cref="BedrockEmulatorOptions"/>. System profiles are offered only for the geographies
/// usable from the configured region (e.g. <c>us.</c> and <c>global.</c> in us-east-1, <c>us-gov.</c> only in
/// GovCloud), as Bedrock does.
/// </summary>
internal sealed class ModelCatalog
{
    /// <summary>Regions each geography routes to, listed in a profile's <c>models</c> (representative, not exhaustive).</summary>
    private static readonly Dictionary<string, string[]> GeographyRegions = new(StringComparer.Ordinal)
    {
        ["us"] = ["us-east-1", "us-east-2", "us-west-2"],
        ["us-gov"] = ["us-gov-west-1", "us-gov-east-1"],
        ["eu"] = ["eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1"],
        ["apac"] = ["ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "ap-south-1"],
        ["jp"] = ["ap-northeast-1", "ap-northeast-3"],
        ["au"] = ["ap-southeast-2", "ap-southeast-4"],
        ["ca"] = ["ca-central-1"],
        ["global"] = [],
    };

    private static readonly Dictionary<string, string> GeographyLabels = new(StringComparer.Ordinal)
    {
        ["us"] = "US",
        ["us-gov"] = "US-GOV",
        ["eu"] = "EU",
        ["apac"] = "APAC",
        ["jp"] = "JP",
        ["au"] = "AU",
        ["ca"] = "CA",
        ["global"] = "Global",
    };

    private readonly Dictionary<string, InferenceProfile> _profilesById = new(StringComparer.Ordinal);

    public ModelCatalog(BedrockEmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        var partition = options.Partition.Id;
        Models = options.Models;
        var profiles = new List<InferenceProfile>();
        foreach (var model in Models)
        {
            foreach (var geo in model.Geographies)
            {
                var id = $"{geo}.{model.Id}";
                if (!BedrockModelId.TryParse(id, out var parsed) || !parsed.IsUsableFrom(options.Region))
                {
                    continue;
                }

                var regions = GeographyRegions.TryGetValue(geo, out var r) && r.Length > 0 ? r : [options.Region];
                if (!regions.Contains(options.Region, StringComparer.Ordinal))
                {
                    regions = [options.Region, .. regions];
                }

                var label = GeographyLabels.GetValueOrDefault(geo, geo.ToUpperInvariant());
                profiles.Add(new InferenceProfile(
                    id,
                    $"{label} {model.ProviderName} {model.Name}",
                    $"arn:{partition}:bedrock:{options.Region}:{options.EffectiveAccountId}:inference-profile/{id}",
                    InferenceProfile.SystemDefined,
                    geo == "global"
                        ? $"Routes requests to {model.ProviderName} {model.Name} in any supported commercial AWS Region."
                        : $"Routes requests to {model.ProviderName} {model.Name} in {string.Join(", ", regions)}.",
                    model,
                    regions.Select(x => FoundationModelArn(partition, x, model.Id)).ToList()));
            }
        }

        foreach (var app in options.ApplicationProfiles)
        {
            // Options parsing guarantees the source parses and names a configured model.
            var model = BedrockModelId.TryParse(app.Source, out var source) ? Models.First(m => m.Id == source.FoundationModelId) : Models[0];
            var arn = $"arn:{partition}:bedrock:{options.Region}:{options.EffectiveAccountId}:application-inference-profile/{app.Id}";
            var sourceProfile = profiles.FirstOrDefault(p => p.Id == app.Source);
            profiles.Add(new InferenceProfile(
                app.Id,
                app.Name,
                arn,
                InferenceProfile.Application,
                app.Description ?? $"Application inference profile for {model.ProviderName} {model.Name}.",
                model,
                sourceProfile?.ModelArns ?? [FoundationModelArn(partition, options.Region, model.Id)]));
        }

        Profiles = profiles;
        foreach (var p in profiles)
        {
            _profilesById[p.Id] = p;
            _profilesById[p.Arn] = p;
        }
    }

    public BedrockEmulatorOptions Options { get; }

    public IReadOnlyList<BedrockModelDefinition> Models { get; }

    /// <summary>System profiles first (per model, in configured geography order), then application profiles.</summary>
    public IReadOnlyList<InferenceProfile> Profiles { get; }

    /// <summary>Fixed so that listings are byte-for-byte reproducible.</summary>
    public const string CreatedAtText = "2025-01-01T00:00:00Z";

    public string FoundationModelArn(string modelId) => FoundationModelArn(Options.Partition.Id, Options.Region, modelId);

    /// <summary>An inference profile by id or ARN (GetInferenceProfile accepts both).</summary>
    public InferenceProfile? FindProfile(string idOrArn) => _profilesById.GetValueOrDefault(idOrArn);

    /// <summary>A foundation model by id or ARN.</summary>
    public BedrockModelDefinition? FindFoundationModel(string idOrArn)
    {
        if (BedrockModelId.TryParse(idOrArn, out var parsed) && parsed.Kind is BedrockModelIdKind.FoundationModel or BedrockModelIdKind.FoundationModelArn)
        {
            if (parsed.IsArn && !InThisRegion(parsed))
            {
                return null;
            }

            return Models.FirstOrDefault(m => m.Id == parsed.FoundationModelId);
        }

        return null;
    }

    /// <summary>
    /// Resolves the <c>{modelId}</c> of a runtime call (already URL-decoded). Bedrock answers 400
    /// ValidationException "The provided model identifier is invalid." for identifiers it cannot place, and a
    /// distinct 400 for newer Claude models called by bare foundation id without on-demand throughput.
    /// </summary>
    public ModelResolution Resolve(string modelId)
    {
        if (!BedrockModelId.TryParse(modelId, out var parsed))
        {
            return ModelResolution.Fail(BedrockError.InvalidModelIdentifier());
        }

        switch (parsed.Kind)
        {
            case BedrockModelIdKind.FoundationModel or BedrockModelIdKind.FoundationModelArn:
                var model = FindFoundationModel(modelId);
                if (model is null)
                {
                    return ModelResolution.Fail(BedrockError.InvalidModelIdentifier());
                }

                return model.OnDemand
                    ? ModelResolution.Of(model)
                    : ModelResolution.Fail(BedrockError.Validation($"Invocation of model ID {model.Id} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model."));
            case BedrockModelIdKind.SystemInferenceProfile or BedrockModelIdKind.SystemInferenceProfileArn or BedrockModelIdKind.ApplicationInferenceProfileArn:
                if (parsed.IsArn && !InThisRegion(parsed))
                {
                    return ModelResolution.Fail(BedrockError.InvalidModelIdentifier());
                }

                var profile = FindProfile(parsed.IsArn && parsed.Kind == BedrockModelIdKind.SystemInferenceProfileArn ? parsed.ResourceId ?? modelId : modelId);
                return profile is null ? ModelResolution.Fail(BedrockError.InvalidModelIdentifier()) : ModelResolution.Of(profile.Model);
            default:
                return ModelResolution.Fail(BedrockError.InvalidModelIdentifier());
        }
    }

    private bool InThisRegion(BedrockModelId id)
        => id.Partition == Options.Partition.Id && id.Region == Options.Region
            && (id.Kind is BedrockModelIdKind.FoundationModelArn || id.AccountId == Options.EffectiveAccountId);

    private static string FoundationModelArn(string partition, string region, string modelId) => $"arn:{partition}:bedrock:{region}::foundation-model/{modelId}";
}
