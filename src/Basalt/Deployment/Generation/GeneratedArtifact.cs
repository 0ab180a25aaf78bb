namespace Basalt.Deployment.Generation;

/// <summary>
/// One output file, relative to the output folder (forward slashes). Files that hold a secret are written
/// 0600 and their content is never printed.
/// </summary>
public sealed record GeneratedArtifact(string RelativePath, ReadOnlyMemory<byte> Content, bool ContainsSecret)
{
    public override string ToString() => ContainsSecret ? $"{RelativePath} (secret)" : RelativePath;
}
