using Basalt.Deployment.Planning;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;

namespace Basalt.Deployment.Generation;

/// <summary>
/// Runs the pipeline of <c>basalt deploy generate</c> in memory: plan each group, validate every group's managed
/// configuration on every platform (refusing on errors), run the artifact generators in order, and add the
/// manifest. Writing to disk is <see cref="DeploymentOutputWriter"/>'s job, so a failed run touches nothing.
/// </summary>
public sealed class DeploymentGenerator
{
    private readonly IReadOnlyList<IArtifactGenerator> _generators;
    private readonly ValidationOptions _validation;

    /// <param name="generators">Artifact generators in output order; <see cref="DefaultGenerators"/> when null.</param>
    /// <param name="validation">
    /// Validator settings (target app version, the date deprecations are judged at); the platform is set per
    /// artifact. Defaults to the newest app, today.
    /// </param>
    public DeploymentGenerator(IReadOnlyList<IArtifactGenerator>? generators = null, ValidationOptions? validation = null)
    {
        _generators = generators ?? DefaultGenerators;
        _validation = validation ?? ValidationOptions.Default;
    }

    /// <summary>Every artifact kind, in the order they are produced. The report runs last so it can list the others' findings.</summary>
    public static IReadOnlyList<IArtifactGenerator> DefaultGenerators { get; } =
    [
        new ManagedConfigArtifactGenerator(),
        new AdmxArtifactGenerator(),
        new ClaudeCodeSettingsGenerator(),
        new AwsConfigGenerator(),
        new IamPolicyGenerator(),
        new CloudFormationGenerator(),
        new CredentialHelperSettingsGenerator(),
#if NET10_0_OR_GREATER
        // Basalt's own gateway (issue 8 item 9) is net10.0-only, like the gateway itself.
        new Gateway.Deployment.GatewayConfigGenerator(),
#endif
        new ReportGenerator(),
    ];

    public DeploymentGenerationResult Generate(DeploymentFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var plan = ManagedConfigPlanner.Plan(file);
        var validations = new List<GroupValidation>();
        foreach (var group in plan.Groups)
        {
            foreach (var platform in group.Group.Platforms)
            {
                var configuration = ArtifactContext.ToConfiguration(group.EntriesFor(platform), platform);
                var result = ConfigValidator.Validate(configuration, _validation with { Platform = platform.ToConfigPlatform() });
                validations.Add(new GroupValidation(group.Group.Name, platform, result));
            }
        }

        var diagnostics = Merge(validations, plan.Groups.Count > 1);
        if (diagnostics.Any(d => d.IsError))
        {
            return new DeploymentGenerationResult([], diagnostics, validations);
        }

        var context = new ArtifactContext(plan, validations);
        foreach (var generator in _generators)
        {
            generator.Generate(context);
        }

        diagnostics.AddRange(context.Diagnostics);
        if (diagnostics.Any(d => d.IsError))
        {
            return new DeploymentGenerationResult([], diagnostics, validations);
        }

        var artifacts = context.Artifacts.OrderBy(a => a.RelativePath, StringComparer.Ordinal).ToList();
        artifacts.Add(ManifestWriter.Build(file.Name, artifacts));
        return new DeploymentGenerationResult(artifacts, diagnostics, validations);
    }

    /// <summary>
    /// One diagnostic per problem: the same finding on several platforms (or in several groups sharing a section)
    /// is listed once, prefixed with the group it concerns.
    /// </summary>
    private static List<Diagnostic> Merge(List<GroupValidation> validations, bool nameGroups)
    {
        var seen = new HashSet<(string, string, string?, SourceLocation?, string)>();
        var result = new List<Diagnostic>();
        foreach (var validation in validations)
        {
            foreach (var d in validation.Diagnostics)
            {
                if (seen.Add((validation.Group, d.Code, d.Key, d.Location, d.Message)))
                {
                    result.Add(nameGroups ? d with { Message = $"group '{validation.Group}': {d.Message}" } : d);
                }
            }
        }

        return result;
    }
}
