namespace Basalt.Deployment.Yaml;

/// <summary>The shape of one node of a deployment file.</summary>
public enum DeploymentNodeKind
{
    Scalar = 0,
    Mapping,
    Sequence,
}
