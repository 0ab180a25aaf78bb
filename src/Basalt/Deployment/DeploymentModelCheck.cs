using Basalt.Bedrock;
using Basalt.Bedrock.Models;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment;

/// <summary>
/// Checks a group's Bedrock model ids against the model catalogue (<see cref="ModelCatalogue"/>, with the
/// deployment file's <c>modelCatalogue:</c> overrides): unknown ids get a "did you mean", retired models and
/// profiles a model is not offered through are errors naming the id to use instead, and a model the account
/// cannot call (per <c>basalt models sync</c>) is a warning. ARNs that hide the model are not checked.
/// </summary>
internal static class DeploymentModelCheck
{
    public const string UnknownModel = "BSL7023";
    public const string RetiredModel = "BSL7024";
    public const string ModelNotOffered = "BSL7025";
    public const string ModelNotInAccount = "BSL7026";
    public const string CatalogueOverrideInvalid = "BSL7027";

    /// <summary>An example foundation id for messages (the newest Sonnet of the catalogue).</summary>
    public static string ExampleFoundationId
        => (ModelCatalogue.Default.NewestInFamily(ModelCatalogue.Default.Families.FirstOrDefault(f => ModelCatalogue.Default.NewestInFamily(f, "us-east-1") is not null) ?? string.Empty, "us-east-1")
            ?? ModelCatalogue.Default.Models.First(m => m.IsOnBedrock)).FoundationModelId!;

    /// <summary>A catalogue client id (<c>claude-…</c>) written as a model id stands for its foundation id; anything else is kept.</summary>
    public static string Expand(ModelCatalogue catalogue, string id)
        => catalogue.Find(id) is { FoundationModelId: { } foundation } model && string.Equals(model.ClientId, id.Trim(), StringComparison.OrdinalIgnoreCase) ? foundation : id;

    public static void Check(FieldReader context, ModelCatalogue catalogue, InputNode node, string path, string resolved, AwsSettings aws, bool? supports1m)
    {
        if (!BedrockModelId.TryParse(resolved, out var parsed) || !parsed.IsAnthropic || parsed.NeedsLabel)
        {
            return;
        }

        var region = aws.Region.Value;
        var prefix = parsed.GeoPrefix;
        var model = catalogue.Find(resolved);
        if (model is null)
        {
            var guess = ModelIdSuggester.Suggest(catalogue, resolved);
            var target = guess is null ? null : Current(catalogue, guess, region, prefix);
            context.Error(UnknownModel, node, path, $"'{resolved}' is not a Claude model id Basalt knows ({catalogue.SourceName})",
                target is not null
                    ? $"did you mean '{ModelIdSuggester.IdLike(target, resolved)}' ({target.DisplayName})? 'basalt models list' shows every id"
                    : "pick an id from 'basalt models list', or add the model under 'modelCatalogue: models:' if Bedrock shipped it after this release");
            return;
        }

        if (model.Retired || !model.IsOnBedrock)
        {
            var target = Current(catalogue, model, region, prefix);
            context.Error(RetiredModel, node, path,
                model.Retired ? $"'{resolved}' ({model.DisplayName}) is retired" : $"{model.DisplayName} is not offered on Amazon Bedrock",
                target is null ? "choose another model from 'basalt models list'" : $"use '{ModelIdSuggester.IdLike(target, resolved)}' ({target.DisplayName}), the newest {model.Family} offered in {region}");
            return;
        }

        if (prefix is not null && !model.ProfilePrefixes.Contains(prefix))
        {
            var target = catalogue.NewestInFamily(model.Family, region, prefix);
            var offered = model.ProfilePrefixes.Where(p => model.IsOfferedThrough(p, region)).ToList();
            context.Error(ModelNotOffered, node, path, $"{model.DisplayName} has no {prefix}. inference profile (offered through: {string.Join(", ", model.ProfilePrefixes.Select(p => p + "."))})",
                target is not null ? $"use '{target.ProfileId(prefix)}' ({target.DisplayName}), or another scope"
                    : offered.Count > 0 ? $"use '{model.ProfileId(offered[0])}' or set 'scope:' on this model" : $"choose a model offered in {region}");
            return;
        }

        if (supports1m == true && !model.Supports1MContext)
        {
            context.Warning(DeploymentDiagnosticCodes.InvalidValue, node, path, $"{model.DisplayName} has no 1M-token context window in the model catalogue", "remove 'supports1m', or correct the model under 'modelCatalogue:'");
        }

        if (catalogue.Account is { } account && (account.Region is null || account.Region == region) && !account.CanCall(resolved))
        {
            context.Warning(ModelNotInAccount, node, path,
                $"account {account.AccountId ?? "(unknown)"} cannot call '{resolved}' in {region} (basalt models sync{(account.SyncedAt is { } at ? $", {at:yyyy-MM-dd HH:mm}Z" : string.Empty)})",
                "enable access to the model in the Bedrock console (or choose another), then run 'basalt models sync' again");
        }
    }

    private static ModelDefinition? Current(ModelCatalogue catalogue, ModelDefinition model, string region, string? prefix)
        => model.Retired || !model.IsOnBedrock ? ModelIdSuggester.Replacement(catalogue, model, region, prefix)
            : prefix is null || model.ProfilePrefixes.Contains(prefix) ? model : ModelIdSuggester.Replacement(catalogue, model, region, prefix);
}
