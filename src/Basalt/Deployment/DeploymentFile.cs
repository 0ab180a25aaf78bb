namespace Basalt.Deployment;

/// <summary>A parsed <c>basalt.yaml</c>: the deployment name and one entry per user group (at least one).</summary>
public sealed record DeploymentFile(string Path, string Name, OrganizationSettings Organization, IReadOnlyList<DeploymentGroup> Groups)
{
#if NET10_0_OR_GREATER
    /// <summary>Basalt's own gateway when the file has a <c>gateway:</c> section (issue 8 item 9); null otherwise.</summary>
    public Gateway.Configuration.GatewayOptions? Gateway { get; init; }

    /// <summary>
    /// The <c>gateway:</c> section as read, with a <c>groups:</c> entry added for every deployment group on Basalt's
    /// gateway that the section does not define (its models resolved to the gateway's ids); unresolved scalars, so
    /// <c>deploy generate</c> writes the gateway's own file from it with references kept. Null without the section.
    /// </summary>
    public Diagnostics.Reading.InputNode? GatewaySection { get; init; }
#endif
}
