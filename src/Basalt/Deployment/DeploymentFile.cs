namespace Basalt.Deployment;

/// <summary>A parsed <c>basalt.yaml</c>: the deployment name and one entry per user group (at least one).</summary>
public sealed record DeploymentFile(string Path, string Name, OrganizationSettings Organization, IReadOnlyList<DeploymentGroup> Groups)
{
#if NET10_0_OR_GREATER
    /// <summary>Basalt's own gateway when the file has a <c>gateway:</c> section (issue 8 item 9); null otherwise.</summary>
    public Gateway.Configuration.GatewayOptions? Gateway { get; init; }
#endif
}
