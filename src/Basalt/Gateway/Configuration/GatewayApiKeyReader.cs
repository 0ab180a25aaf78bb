using System.Security.Cryptography;
using System.Text;
using Basalt.Aws;
using Basalt.Deployment;
using Basalt.Deployment.Secrets;
using Basalt.Diagnostics.Reading;
using Basalt.Diagnostics;

namespace Basalt.Gateway.Configuration;

/// <summary>Reads <c>gateway.apiKeys</c>: keys by reference or hash only, each bound to a user and groups (issue 8 item 7).</summary>
internal static class GatewayApiKeyReader
{
    private static readonly string[] ApiKeyKeys = ["id", "user", "displayName", "email", "groups", "costCentre", "key", "sha256"];

    internal static List<GatewayApiKey> ReadApiKeys(FieldReader context, InputNode section, string prefix, Dictionary<string, GatewayGroup> groups)
    {
        var result = new List<GatewayApiKey>();
        var node = section.Get("apiKeys");
        var path = FieldReader.Join(prefix, "apiKeys");
        if (node is null || node.IsNull)
        {
            return result;
        }

        if (node.Kind != InputNodeKind.Sequence)
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, node, path, $"expected a list, found {node.Describe()}", "write one '- id: …' entry per key");
            return result;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < node.Items.Count; i++)
        {
            var item = node.Items[i];
            var itemPath = $"{path}[{i}]";
            if (item.Kind != InputNodeKind.Mapping)
            {
                context.Error(DeploymentDiagnosticCodes.WrongType, item, itemPath, $"expected a mapping, found {item.Describe()}", "write '- { id: NAME, user: USER-ID, groups: [GROUP], key: ${env:VAR} }'");
                continue;
            }

            context.CheckKeys(item, itemPath, ApiKeyKeys);
            var id = context.String(item, "id", itemPath, required: true, fix: "add 'id: NAME' (a non-secret name for logs and usage)");
            var user = context.String(item, "user", itemPath, required: true, fix: "add 'user: USER-ID' (the stable id of the person the key belongs to)");
            var display = context.String(item, "displayName", itemPath);
            var email = context.String(item, "email", itemPath);
            var cost = context.String(item, "costCentre", itemPath);
            var keyGroups = context.StringList(item, "groups", itemPath) ?? [];
            foreach (var g in keyGroups)
            {
                if (!groups.ContainsKey(g.Value))
                {
                    context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, GatewayDiagnosticCodes.UnknownKeyGroup,
                        $"group '{g.Value}' is not configured under 'groups:'", FieldReader.Join(itemPath, "groups"), g.Location,
                        "add the group under 'groups:' with its models, or fix the name"));
                }
            }

            var key = context.String(item, "key", itemPath, secret: true);
            var sha = context.String(item, "sha256", itemPath);
            byte[]? hash = null;
            if (key is not null && sha is not null || key is null && sha is null && item.Get("key") is null)
            {
                context.Error(GatewayDiagnosticCodes.BadApiKeyHash, item, itemPath, "an API key needs exactly one of 'key:' (a ${env:}/${file:} reference) or 'sha256:' (the key's SHA-256, hex)",
                    $"write 'key: ${{env:VAR}}' or 'sha256: <64 hex digits>' (basalt gateway hash-key prints it)");
            }
            else if (key is not null)
            {
                hash = SHA256.HashData(Encoding.UTF8.GetBytes(key.Value));
            }
            else if (sha is not null)
            {
                if (sha.Value.Length == 64 && sha.Value.All(char.IsAsciiHexDigit))
                {
                    hash = Convert.FromHexString(sha.Value);
                }
                else
                {
                    context.Error(GatewayDiagnosticCodes.BadApiKeyHash, item.Get("sha256")!, FieldReader.Join(itemPath, "sha256"), "expected the key's SHA-256 as 64 hexadecimal digits", "compute it with 'printf %s KEY | sha256sum'");
                }
            }

            if (id is not null && !ids.Add(id.Value))
            {
                context.Error(GatewayDiagnosticCodes.DuplicateApiKey, item.Get("id")!, FieldReader.Join(itemPath, "id"), $"two API keys have the id '{id.Value}'", "give every key its own id");
            }

            if (id is not null && user is not null && hash is not null)
            {
                result.Add(new GatewayApiKey(id.Value, user.Value, display?.Value, email?.Value, [.. keyGroups.Select(g => g.Value)], cost?.Value, hash));
            }
        }

        var hashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var k in result)
        {
            if (!hashes.Add(Convert.ToHexString(k.Sha256)))
            {
                context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, GatewayDiagnosticCodes.DuplicateApiKey,
                    $"API key '{k.Id}' has the same secret as another key", path, node.Location, "give every key its own secret"));
            }
        }

        return result;
    }
}
