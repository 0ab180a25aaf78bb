namespace Basalt.Deployment.Generation;

/// <summary>
/// Produces some of the output files of <c>basalt deploy generate</c> from the plan. Adding an artifact kind is
/// one new implementation added to <see cref="DeploymentGenerator.DefaultGenerators"/>.
/// </summary>
public interface IArtifactGenerator
{
    /// <summary>Short name for messages, e.g. <c>claude-code</c>.</summary>
    string Name { get; }

    void Generate(ArtifactContext context);
}
