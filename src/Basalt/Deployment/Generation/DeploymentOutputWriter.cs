using Basalt.Diagnostics;
using Basalt.IO;

namespace Basalt.Deployment.Generation;

/// <summary>
/// Writes generated artifacts so the output folder is replaced as a whole or not at all: everything goes into
/// a temporary sibling folder first, then the old folder is moved aside, the new one renamed into place and the
/// old one deleted. A failure at any step before the swap leaves the output folder exactly as it was. Secret
/// files are created 0600 from the start. A non-empty folder without Basalt's <c>manifest.json</c> is never
/// replaced (it is not ours: pointing <c>-o</c> at a home folder must not delete it).
/// </summary>
public static class DeploymentOutputWriter
{
    public static async Task<IReadOnlyList<Diagnostic>> WriteAsync(string outputDirectory, IReadOnlyList<GeneratedArtifact> artifacts, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentNullException.ThrowIfNull(artifacts);
        var target = Path.GetFullPath(outputDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var parent = Path.GetDirectoryName(target);
        var name = Path.GetFileName(target);
        if (parent is null || name.Length == 0)
        {
            return [Error(outputDirectory, "the output folder cannot be a file-system root", "choose a folder such as ./out")];
        }

        if (File.Exists(target))
        {
            return [Error(outputDirectory, "the output path is a file, not a folder", "choose a folder name that does not exist or holds earlier Basalt output")];
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, ManifestWriter.FileName)))
        {
            return
            [
                new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.OutputFolderNotOurs,
                    $"'{outputDirectory}' is not empty and has no {ManifestWriter.FileName}, so it is not earlier Basalt output; refusing to replace it",
                    Location: new SourceLocation(outputDirectory), Fix: "choose an empty or new folder, or delete this one yourself"),
            ];
        }

        var unique = Guid.NewGuid().ToString("N");
        var staging = Path.Combine(parent, $".{name}.basalt-new-{unique}");
        var retired = Path.Combine(parent, $".{name}.basalt-old-{unique}");
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(staging);
            foreach (var artifact in artifacts)
            {
                var path = Path.Combine(staging, artifact.RelativePath.Replace('/', Path.DirectorySeparatorChar));
                await AtomicFile.WriteAllBytesAsync(path, artifact.Content, artifact.ContainsSecret, cancellationToken).ConfigureAwait(false);
            }

            var replaced = Directory.Exists(target);
            if (replaced)
            {
                Directory.Move(target, retired);
            }

            try
            {
                Directory.Move(staging, target);
            }
            catch
            {
                if (replaced)
                {
                    Directory.Move(retired, target);
                }

                throw;
            }

            if (replaced)
            {
                TryDelete(retired);
            }

            return [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(staging);
            return [Error(outputDirectory, $"writing the output failed ({ex.GetType().Name}); the folder was left as it was", "check free space and permissions of the parent folder, then run again")];
        }
    }

    private static Diagnostic Error(string path, string message, string fix)
        => new(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.OutputWriteFailed, message, Location: new SourceLocation(path), Fix: fix);

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
