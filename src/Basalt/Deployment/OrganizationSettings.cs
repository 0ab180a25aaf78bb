using Basalt.Diagnostics.Reading;
namespace Basalt.Deployment;

/// <summary>
/// Who the deployment belongs to. <see cref="Name"/> appears as the profile organization in MDM artifacts,
/// <see cref="Identifier"/> is the reverse-DNS prefix of payload identifiers, <see cref="Uuid"/> becomes
/// <c>deploymentOrganizationUuid</c> and the display name/subtitle become <c>deploymentDisplayName</c>/<c>Subtitle</c>.
/// </summary>
public sealed record OrganizationSettings(string Name, string Identifier, FieldValue? Uuid, FieldValue? DisplayName, FieldValue? DisplaySubtitle);
