using System.Text;
using Basalt.Deployment.Planning;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;

namespace Basalt.Deployment.Generation;

/// <summary>What a generator reads (the plan, the validation results) and where it puts files and findings.</summary>
public sealed class ArtifactContext
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly List<GeneratedArtifact> _artifacts = [];
    private readonly List<Diagnostic> _diagnostics = [];

    public ArtifactContext(DeploymentPlan plan, IReadOnlyList<GroupValidation> validations)
    {
        Plan = plan;
        Validations = validations;
    }

    public DeploymentPlan Plan { get; }

    /// <summary>Validation of each group's managed configuration per platform, done before any generator runs.</summary>
    public IReadOnlyList<GroupValidation> Validations { get; }

    public IReadOnlyList<GeneratedArtifact> Artifacts => _artifacts;

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    public void Add(string relativePath, string text, bool containsSecret = false) => Add(relativePath, Utf8.GetBytes(text), containsSecret);

    public void Add(string relativePath, ReadOnlyMemory<byte> content, bool containsSecret = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (relativePath.Contains('\\', StringComparison.Ordinal) || relativePath.StartsWith('/') || relativePath.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw new ArgumentException($"'{relativePath}' is not a relative forward-slash path inside the output folder", nameof(relativePath));
        }

        if (_artifacts.Any(a => string.Equals(a.RelativePath, relativePath, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"two generators produced '{relativePath}'");
        }

        _artifacts.Add(new GeneratedArtifact(relativePath, content, containsSecret));
    }

    public void Report(Diagnostic diagnostic) => _diagnostics.Add(diagnostic);

    /// <summary>The entries as the key/value list the format writers take.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(IReadOnlyList<PlannedEntry> entries)
        => entries.Select(e => new KeyValuePair<string, string>(e.Key, e.Value)).ToList();

    /// <summary>The folder of one group and platform, e.g. <c>engineering/macos</c>.</summary>
    public static string Folder(GroupPlan group, DeploymentPlatform platform) => $"{group.Group.Name}/{platform.ToName()}";

    internal static ManagedConfiguration ToConfiguration(IReadOnlyList<PlannedEntry> entries, DeploymentPlatform platform)
        => new(platform.ToConfigPlatform(), entries.Select(e => new ConfigEntry(e.Key, e.Value, WireType.String, e.Location)).ToList(), []);
}
