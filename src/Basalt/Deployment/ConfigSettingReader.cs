using System.Globalization;
using Basalt.Diagnostics.Reading;
using Basalt.ManagedConfig;

namespace Basalt.Deployment;

/// <summary>
/// Turns the <c>policy</c> and <c>telemetry</c> sections (managed-configuration keys written as native YAML)
/// into wire values: booleans and numbers as their text, lists and mappings as one compact JSON document
/// (cowork3p-reference §1.1). Keys are checked against <see cref="KeyCatalogue"/>; keys the generator derives
/// from other sections are refused so there is one place to set each fact.
/// </summary>
internal static class ConfigSettingReader
{
    /// <summary>Keys Basalt writes itself, and the section of basalt.yaml that controls them.</summary>
    private static readonly Dictionary<string, string> Reserved = new(StringComparer.Ordinal)
    {
        ["inferenceProvider"] = "provider",
        ["inferenceCredentialKind"] = "auth.approach",
        ["inferenceModels"] = "models",
        ["inferenceBedrockRegion"] = "aws.region",
        ["inferenceBedrockBaseUrl"] = "aws.baseUrl",
        ["inferenceBedrockServiceTier"] = "aws.serviceTier",
        ["inferenceBedrockBearerToken"] = "auth.bearerToken",
        ["inferenceBedrockProfile"] = "auth.profile.name",
        ["inferenceBedrockAwsDir"] = "auth.profile.awsDir",
        ["inferenceBedrockAwsCliPath"] = "auth.profile.awsCliPath",
        ["inferenceBedrockSsoStartUrl"] = "auth.sso.startUrl",
        ["inferenceBedrockSsoRegion"] = "auth.sso.region",
        ["inferenceBedrockSsoAccountId"] = "auth.sso.accountId",
        ["inferenceBedrockSsoRoleName"] = "auth.sso.roleName",
        ["inferenceCredentialHelper"] = "auth.helper.installPath",
        ["inferenceCredentialHelperTtlSec"] = "auth.helper.ttlSec",
        ["inferenceCredentialHelperTimeoutSec"] = "auth.helper.timeoutSec",
        ["inferenceGatewayBaseUrl"] = "auth.gateway.baseUrl",
        ["inferenceGatewayApiKey"] = "auth.gateway.apiKey",
        ["inferenceGatewayAuthScheme"] = "auth.gateway.authScheme",
        ["inferenceGatewayOidc"] = "auth.gateway.oidc",
        ["deploymentOrganizationUuid"] = "organization.uuid",
        ["deploymentDisplayName"] = "organization.displayName",
        ["deploymentDisplaySubtitle"] = "organization.displaySubtitle",
    };

    public static List<ConfigSetting> Read(FieldReader context, InputNode? section, string path)
    {
        var settings = new List<ConfigSetting>();
        if (section is null)
        {
            return settings;
        }

        foreach (var (keyNode, valueNode) in section.Entries)
        {
            var key = keyNode.Scalar ?? string.Empty;
            var full = FieldReader.Join(path, key);
            if (Reserved.TryGetValue(key, out var owner))
            {
                context.Error(DeploymentDiagnosticCodes.PolicyKeyReserved, keyNode, full,
                    $"'{key}' is generated from '{owner}'; it cannot be set in '{path}'", $"remove it here and set '{owner}' instead");
                continue;
            }

            var definition = KeyCatalogue.Find(key);
            if (definition is null)
            {
                var suggestion = FieldReader.Suggest(key, KeyCatalogue.All.Select(k => k.Name));
                context.Error(DeploymentDiagnosticCodes.PolicyKeyUnknown, keyNode, full,
                    $"'{key}' is not a Claude Desktop managed-configuration key (names are case-sensitive)",
                    suggestion is null ? "check the key name in the configuration reference" : $"did you mean '{suggestion}'?");
                continue;
            }

            if (valueNode.IsNull)
            {
                context.Error(DeploymentDiagnosticCodes.PolicyValueType, valueNode, full, $"'{key}' has no value; expected {Expected(definition)}", "give it a value or remove the line");
                continue;
            }

            if (ToWire(context, definition, valueNode, full) is { } wire)
            {
                settings.Add(new ConfigSetting(key, wire.Value, valueNode.Location, wire.IsSecret || definition.IsSecret));
            }
        }

        return settings;
    }

    private static (string Value, bool IsSecret)? ToWire(FieldReader context, KeyDefinition definition, InputNode node, string path)
    {
        if (definition.IsJson)
        {
            if (node.Kind == InputNodeKind.Scalar)
            {
                // Already JSON text (the wire form); the validator checks it parses.
                return context.Scalar(node, path, secret: definition.IsSecret) is { } text ? (text.Value, text.IsSecret) : null;
            }

            return DeploymentJson.FromNode(context, node, path) is { } json ? (json.Value, json.IsSecret) : null;
        }

        if (node.Kind != InputNodeKind.Scalar)
        {
            context.Error(DeploymentDiagnosticCodes.PolicyValueType, node, path, $"expected {Expected(definition)}, found {node.Describe()}", "write a single value after the colon");
            return null;
        }

        var value = context.Scalar(node, path, secret: definition.IsSecret);
        if (value is null)
        {
            return null;
        }

        var v = value.Value;
        switch (definition.ValueType)
        {
            case ConfigValueType.Boolean when v is not ("true" or "false" or "1" or "0"):
                context.Error(DeploymentDiagnosticCodes.PolicyValueType, node, path, $"expected true or false, found {node.Describe()}", $"write '{definition.Name}: true' or '{definition.Name}: false'");
                return null;
            case ConfigValueType.Integer when !long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                context.Error(DeploymentDiagnosticCodes.PolicyValueType, node, path, $"expected a whole number, found {node.Describe()}", "write the number without quotes or units");
                return null;
            case ConfigValueType.Number when !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _):
                context.Error(DeploymentDiagnosticCodes.PolicyValueType, node, path, $"expected a number, found {node.Describe()}", "write the number without quotes or units, e.g. 1.2");
                return null;
            default:
                return (v, value.IsSecret);
        }
    }

    private static string Expected(KeyDefinition definition) => definition.ValueType switch
    {
        ConfigValueType.Boolean => "true or false",
        ConfigValueType.Integer => "a whole number",
        ConfigValueType.Number => "a number",
        ConfigValueType.Enum => $"one of {string.Join(", ", definition.EnumValues)}",
        _ when definition.IsJson => "a list or mapping",
        _ => "a string",
    };
}
