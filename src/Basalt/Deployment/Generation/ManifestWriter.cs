using System.Security.Cryptography;

namespace Basalt.Deployment.Generation;

/// <summary>
/// <c>manifest.json</c>: every generated file with its size and SHA-256, sorted by path, so IT can verify what
/// was deployed and the same input always yields the same manifest. Its presence also marks a folder as
/// Basalt output, which is what allows a later run to replace it.
/// </summary>
internal static class ManifestWriter
{
    public const string FileName = "manifest.json";

    public static GeneratedArtifact Build(string deploymentName, IReadOnlyList<GeneratedArtifact> artifacts)
    {
        var json = GeneratedJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("generator", "basalt deploy generate");
            w.WriteString("deployment", deploymentName);
            w.WriteStartArray("files");
            foreach (var artifact in artifacts.OrderBy(a => a.RelativePath, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("path", artifact.RelativePath);
                w.WriteNumber("size", artifact.Content.Length);
                w.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(artifact.Content.Span)));
                if (artifact.ContainsSecret)
                {
                    w.WriteBoolean("secret", true);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        return new GeneratedArtifact(FileName, System.Text.Encoding.UTF8.GetBytes(json), false);
    }
}
