using Basalt.Aws;

namespace Basalt.ManagedConfig;

/// <summary>
/// Provider completeness (cowork3p-reference §5, §10.2): the provider itself, its required keys, keys meant for
/// other providers, the credential resolution and the model list where the provider needs one.
/// </summary>
internal static class ProviderRules
{
    public static CredentialResolution? Apply(ValidationContext ctx)
    {
        var raw = ctx.Entry("inferenceProvider");
        if (raw is null)
        {
            var hint = ctx.Ignored.FirstOrDefault(i => i.Code is ConfigDiagnosticCodes.KeyWrongCase or ConfigDiagnosticCodes.UnknownKey
                && KeySuggester.Suggest(i.Entry.Key) == "inferenceProvider");
            ctx.Error(ConfigDiagnosticCodes.ProviderMissing, "inferenceProvider",
                hint is null
                    ? "inferenceProvider is not set, so the app starts in standard mode (claude.ai sign-in) and ignores every inference key."
                    : $"inferenceProvider is not set ('{hint.Entry.Key}' at {hint.Entry.Location} is not the same key), so the app starts in standard mode.",
                "Set inferenceProvider to one of: bedrock, gateway, vertex, foundry, mantle, anthropic.",
                hint?.Entry.Location ?? (ctx.Configuration.Entries.Count > 0 ? ctx.Configuration.Entries[0].Location : null));
            ctx.Block(hint is null
                ? "inferenceProvider is missing (§10.2 cause 1)."
                : $"inferenceProvider is misspelled as '{hint.Entry.Key}' (§10.2 cause 1).");
            return null;
        }

        if (ctx.Provider is not { } provider)
        {
            ctx.Error(ConfigDiagnosticCodes.ProviderUnknown, "inferenceProvider",
                $"inferenceProvider {ValueRules.Show(null, raw.Value)} is not a recognized provider, so the app starts in standard mode.",
                "Use one of (lower case): bedrock, gateway, vertex, foundry, mantle, anthropic.");
            ctx.Block($"inferenceProvider {ValueRules.Show(null, raw.Value)} is not a recognized value (§10.2 cause 1).");
            return null;
        }

        foreach (var key in RequiredKeys(provider))
        {
            if (!ctx.Has(key))
            {
                var invalid = ctx.IsPresent(key);
                if (!invalid)
                {
                    ctx.Error(ConfigDiagnosticCodes.RequiredKeyMissing, key,
                        $"'{key}' is required for provider \"{provider.ToWire()}\" and is not set.",
                        $"Set '{key}' ({KeyCatalogue.Find(key)!.Description})", ctx.Where("inferenceProvider"));
                }

                ctx.Block(invalid
                    ? $"'{key}', required for {provider.ToWire()}, has an unusable value (§10.2 cause 4)."
                    : $"'{key}', required for {provider.ToWire()}, is missing (§10.2 cause 4).");
            }
        }

        foreach (var entry in ctx.EffectiveOrder)
        {
            if (KeyCatalogue.Find(entry.Key) is { } def && !def.AppliesTo(provider))
            {
                ctx.Info(ConfigDiagnosticCodes.KeyForOtherProvider, entry.Key,
                    $"'{entry.Key}' is for {string.Join("/", def.Providers.Select(p => p.ToWire()))}; with inferenceProvider \"{provider.ToWire()}\" the app ignores it.",
                    $"Remove '{entry.Key}' or change inferenceProvider.");
            }
        }

        RegionPartition(ctx, provider);
        var resolution = CredentialResolver.Resolve(ctx, provider);
        ModelsRequired(ctx, provider, resolution);
        CredentialKeysValid(ctx, resolution);
        return resolution;
    }

    public static IReadOnlyList<string> RequiredKeys(InferenceProvider provider) => provider switch
    {
        InferenceProvider.Bedrock or InferenceProvider.Mantle => ["inferenceBedrockRegion"],
        InferenceProvider.Gateway => ["inferenceGatewayBaseUrl"],
        InferenceProvider.Foundry => ["inferenceFoundryResource"],
        InferenceProvider.Vertex => ["inferenceVertexProjectId", "inferenceVertexRegion"],
        _ => [],
    };

    private static void RegionPartition(ValidationContext ctx, InferenceProvider provider)
    {
        if (provider is not (InferenceProvider.Bedrock or InferenceProvider.Mantle) || ctx.Value("inferenceBedrockRegion") is not { } region
            || AwsPartition.ForRegion(region) is not { } partition)
        {
            return;
        }

        var service = provider == InferenceProvider.Mantle ? $"bedrock-mantle.{region}.api.aws" : partition.Host("bedrock-runtime", region, partition.PrefersFips);
        ctx.Info(ConfigDiagnosticCodes.RegionPartition, "inferenceBedrockRegion",
            $"Region {region} is in partition {partition.Id}{(partition.PrefersFips ? " (GovCloud: the app switches to FIPS endpoints)" : string.Empty)}; inference goes to {service}.",
            null);
    }

    /// <summary>The credential source's own keys must be valid, or the provider has no usable credential (§2.1).</summary>
    private static void CredentialKeysValid(ValidationContext ctx, CredentialResolution resolution)
    {
        if (resolution.Winner is null)
        {
            return;
        }

        foreach (var key in resolution.Winner.Keys)
        {
            if (ctx.IsInvalid(key))
            {
                ctx.Block($"'{key}', part of the winning credential source ({resolution.Winner.DisplayName}), has an invalid value.");
            }
        }
    }

    private static void ModelsRequired(ValidationContext ctx, InferenceProvider provider, CredentialResolution resolution)
    {
        if (ctx.IsPresent("inferenceModels"))
        {
            return;
        }

        string? why = provider switch
        {
            InferenceProvider.Mantle => "Mantle has no model-list endpoint",
            InferenceProvider.Foundry => "Foundry needs its deployment names listed",
            InferenceProvider.Vertex => "Vertex has no model discovery",
            InferenceProvider.Bedrock => resolution.Winner?.Id switch
            {
                "bedrock-profile" => "discovery is not available with a named profile",
                "bedrock-sso" => "discovery is not available with in-app AWS sign-in",
                "bedrock-idp" => "discovery is not available with identity-provider sign-in",
                // Seed 001 (older apps): only the bearer token auto-discovers; seed 000 adds the helper.
                "helper" when !ctx.IsAtLeast(CredentialPrecedence.BedrockPageRevision) => $"before v{CredentialPrecedence.BedrockPageRevision} only bearer-token auth auto-discovers models",
                _ => null,
            },
            _ => null,
        };

        if (why is null)
        {
            return;
        }

        ctx.Error(ConfigDiagnosticCodes.ModelsRequired, "inferenceModels",
            $"inferenceModels is required here: {why}, so the model picker would be empty.",
            provider == InferenceProvider.Bedrock
                ? $"Set inferenceModels to a list of inference-profile IDs, e.g. [\"{ModelRules.ExampleProfileId}\"]."
                : "Set inferenceModels to the provider's model IDs.",
            ctx.Where("inferenceProvider"));
    }
}
