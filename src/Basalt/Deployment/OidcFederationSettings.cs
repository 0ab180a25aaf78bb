using Basalt.Diagnostics.Reading;
namespace Basalt.Deployment;

/// <summary>
/// OIDC federation straight into IAM (seed 003, "Direct IAM federation"): the IdP issuer and the app's client
/// id, and the IAM role devices assume with the ID token. Drives the CloudFormation template.
/// </summary>
public sealed record OidcFederationSettings(FieldValue Issuer, FieldValue ClientId, string RoleName, int MaxSessionDurationSec);
