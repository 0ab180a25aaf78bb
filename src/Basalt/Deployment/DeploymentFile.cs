namespace Basalt.Deployment;

/// <summary>A parsed <c>basalt.yaml</c>: the deployment name and one entry per user group (at least one).</summary>
public sealed record DeploymentFile(string Path, string Name, OrganizationSettings Organization, IReadOnlyList<DeploymentGroup> Groups);
