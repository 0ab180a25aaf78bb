using System.Security.Cryptography;
using System.Text.Json;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Generation;

/// <summary>
/// <c>manifest.json</c>: every generated file with its size and SHA-256, sorted by path, so IT can verify what
/// was deployed and the same input always yields the same manifest. It is also the proof that Basalt made a
/// folder: a later run replaces a folder only when its manifest names <see cref="Generator"/> and every file in
/// the folder is on the manifest's list (issue 14: a browser extension's <c>manifest.json</c> is not ours).
/// </summary>
internal static class ManifestWriter
{
    public const string FileName = "manifest.json";
    public const string Generator = "basalt deploy generate";

    /// <summary>
    /// The files a Basalt manifest in <paramref name="folder"/> lists (itself included), or null when the folder
    /// has no manifest Basalt wrote. The manifest is read within <see cref="InputLimits"/> like any outside input.
    /// </summary>
    public static HashSet<string>? ReadOwnedFiles(string folder)
    {
        var bytes = InputText.ReadFile(Path.Combine(folder, FileName), InputLimits.Default.MaxInputBytes, out _);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = InputLimits.Default.MaxDepth });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("generator", out var generator) || generator.ValueKind != JsonValueKind.String
                || !string.Equals(generator.GetString(), Generator, StringComparison.Ordinal)
                || !root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var owned = new HashSet<string>(StringComparer.Ordinal) { FileName };
            foreach (var file in files.EnumerateArray())
            {
                if (file.ValueKind != JsonValueKind.Object || !file.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                var relative = path.GetString()!;
                if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Split('/').Any(p => p is "" or "." or ".."))
                {
                    return null; // not a list Basalt wrote
                }

                owned.Add(relative);
            }

            return owned;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static GeneratedArtifact Build(string deploymentName, IReadOnlyList<GeneratedArtifact> artifacts)
    {
        var json = GeneratedJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("generator", Generator);
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
