using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Reads <c>organization:</c> (name, reverse-DNS identifier, UUID, display strings).
/// </summary>
internal static class OrganizationSectionReader
{
    public static OrganizationSettings Read(FieldReader context, InputNode node, string deploymentName)
    {
        var org = context.Mapping(node, "organization", string.Empty);
        if (org is null)
        {
            return new OrganizationSettings(deploymentName, $"basalt.{deploymentName}", null, null, null);
        }

        context.CheckKeys(org, "organization", DeploymentSchema.OrganizationKeys);
        var name = context.Text(org, "name", "organization")?.Value ?? deploymentName;
        var identifier = context.String(org, "identifier", "organization");
        if (identifier is not null && !DeploymentPatterns.Identifier().IsMatch(identifier.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, org.Get("identifier")!, "organization.identifier",
                $"'{identifier.Value}' is not a reverse-DNS identifier; expected e.g. com.example.claude", "use your organization's reverse domain name");
        }

        var uuid = context.String(org, "uuid", "organization");
        if (uuid is not null && !Guid.TryParseExact(uuid.Value, "D", out _))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, org.Get("uuid")!, "organization.uuid",
                "not a UUID; expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "generate one with 'uuidgen' and keep it stable: it namespaces local data (cowork3p-reference §2.6)");
        }

        return new OrganizationSettings(name, identifier?.Value ?? $"basalt.{deploymentName}", uuid,
            context.Text(org, "displayName", "organization"), context.Text(org, "displaySubtitle", "organization"));
    }
}
