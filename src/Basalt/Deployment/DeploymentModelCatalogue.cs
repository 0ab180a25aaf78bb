using System.Globalization;
using System.Text.Json.Nodes;
using Basalt.Bedrock.Models;
using Basalt.Diagnostics.Reading;
using Basalt.Diagnostics;

namespace Basalt.Deployment;

/// <summary>
/// The deployment file's <c>modelCatalogue:</c> section: an organization's additions and corrections to Basalt's
/// model catalogue (a model Bedrock shipped yesterday, its contract prices) without a new release, and the
/// account file <c>basalt models sync</c> writes. Shape:
/// <code>
/// modelCatalogue:
///   files: [models.account.json]   # override files, relative to the deployment file
///   models: [ { clientId: …, … } ]   # same keys as claude-models.json; existing clientIds are patched
///   betaRules: [ … ]
///   fieldRules: [ … ]
/// </code>
/// </summary>
internal static class DeploymentModelCatalogue
{
    public const string Key = "modelCatalogue";
    private static readonly string[] Keys = ["files", "models", "betaRules", "fieldRules", "claudeCodeDefault"];

    /// <summary>The catalogue this deployment file validates against; <see cref="ModelCatalogue.Default"/> when the section is absent.</summary>
    public static ModelCatalogue Read(FieldReader context, InputNode? node, string deploymentPath)
    {
        var catalogue = ModelCatalogue.Default;
        if (node is null || node.IsNull)
        {
            return catalogue;
        }

        if (node.Kind != InputNodeKind.Mapping)
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, node, Key, $"expected a mapping with 'files:', 'models:', 'betaRules:' or 'fieldRules:', found {node.Describe()}",
                "write e.g. 'modelCatalogue: { files: [models.account.json] }'");
            return catalogue;
        }

        context.CheckKeys(node, Key, Keys);
        var directory = Path.GetDirectoryName(Path.GetFullPath(deploymentPath)) ?? Environment.CurrentDirectory;
        foreach (var file in context.StringList(node, "files", Key) ?? [])
        {
            var full = Path.GetFullPath(Path.Combine(directory, file.Value));
            try
            {
                // Read like any outside input: a regular file within the shared size limit.
                var bytes = InputText.ReadFile(full, InputLimits.Default.MaxInputBytes, out var problem)
                    ?? throw new IOException(problem == InputText.FileProblem.TooLarge ? $"larger than {InputLimits.Default.MaxInputBytes:N0} bytes" : problem == InputText.FileProblem.NotRegularFile ? "not a regular file" : "not found or not readable");
                var overrides = JsonNode.Parse(bytes, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = InputLimits.Default.MaxDepth }) ?? new JsonObject();
                catalogue = catalogue.WithOverrides(overrides, full);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
            {
                context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentModelCheck.CatalogueOverrideInvalid,
                    ex is IOException or UnauthorizedAccessException ? $"cannot read model catalogue file '{file.Value}': {ex.Message}" : ex.Message,
                    $"{Key}.files", file.Location, "fix the file, run 'basalt models sync -o FILE' again, or remove it from 'files:'"));
            }
        }

        var inline = new JsonObject();
        foreach (var (keyNode, value) in node.Entries)
        {
            if (keyNode.Scalar is "models" or "betaRules" or "fieldRules" or "claudeCodeDefault")
            {
                inline[keyNode.Scalar] = ToJson(value);
            }
        }

        if (inline.Count > 0)
        {
            try
            {
                catalogue = catalogue.WithOverrides(inline, $"{deploymentPath} {Key}");
            }
            catch (InvalidDataException ex)
            {
                context.Error(DeploymentModelCheck.CatalogueOverrideInvalid, node, Key, ex.Message, "use the keys and value types of claude-models.json ('basalt models show ID --json' prints an entry)");
            }
        }

        return catalogue;
    }

    /// <summary>YAML as JSON: plain scalars become null, booleans and numbers the way YAML 1.2's core schema reads them.</summary>
    internal static JsonNode? ToJson(InputNode node) => node.Kind switch
    {
        InputNodeKind.Mapping => new JsonObject(node.Entries.Select(e => KeyValuePair.Create(e.Key.Scalar ?? string.Empty, ToJson(e.Value)))),
        InputNodeKind.Sequence => new JsonArray(node.Items.Select(ToJson).ToArray()),
        _ when node.IsNull => null,
        _ when !node.IsPlain => JsonValue.Create(node.Scalar),
        _ when node.Scalar is "true" or "True" or "TRUE" => JsonValue.Create(true),
        _ when node.Scalar is "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when int.TryParse(node.Scalar, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var small) => JsonValue.Create(small),
        _ when long.TryParse(node.Scalar, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
        _ when decimal.TryParse(node.Scalar, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(node.Scalar),
    };
}
