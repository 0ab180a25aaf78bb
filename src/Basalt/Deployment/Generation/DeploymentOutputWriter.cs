using Basalt.Diagnostics;
using Basalt.IO;
using Basalt.ManagedConfig.Formats;

namespace Basalt.Deployment.Generation;

/// <summary>
/// Writes generated artifacts so the output folder is replaced as a whole or not at all: everything goes into
/// a temporary sibling folder first, then the old folder is moved aside, the new one renamed into place and the
/// old one deleted. A failure at any step before the swap leaves the output folder exactly as it was. Secret
/// files are created 0600 from the start. Only an empty folder or one Basalt provably wrote is replaced: its
/// <c>manifest.json</c> names Basalt as the generator and lists every file in the folder. Anything else (a home
/// folder, a browser extension with its own <c>manifest.json</c>, earlier output with a file added by hand) is
/// refused, so nothing outside Basalt's own list is ever deleted (issue 14).
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

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && RefuseReplacing(target, outputDirectory) is { } refusal)
        {
            return [refusal];
        }

        // Writers validate what they write: every file is read back with Basalt's own reader before anything touches disk.
        var invalid = artifacts.SelectMany(a => WrittenFileValidator.Validate(a.RelativePath, a.Content.Span)).ToList();
        if (invalid.Count > 0)
        {
            return invalid;
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

    /// <summary>Null when <paramref name="target"/> is Basalt output whose every file is on its manifest's list.</summary>
    private static Diagnostic? RefuseReplacing(string target, string outputDirectory)
    {
        var owned = ManifestWriter.ReadOwnedFiles(target);
        if (owned is null)
        {
            return NotOurs(outputDirectory, $"'{outputDirectory}' is not empty and has no {ManifestWriter.FileName} written by Basalt, so it is not earlier Basalt output; refusing to replace it",
                "choose an empty or new folder, or delete this one yourself");
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(target, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(target, entry).Replace(Path.DirectorySeparatorChar, '/');
            var isFolder = Directory.Exists(entry) && (File.GetAttributes(entry) & FileAttributes.ReparsePoint) == 0;
            if (isFolder ? !owned.Any(o => o.StartsWith(relative + "/", StringComparison.Ordinal)) : !owned.Contains(relative))
            {
                return NotOurs(outputDirectory, $"'{outputDirectory}' holds '{relative}', which Basalt did not write (it is not on {ManifestWriter.FileName}'s list); refusing to replace the folder",
                    "move that file out of the folder, or choose an empty or new folder");
            }
        }

        return null;
    }

    private static Diagnostic NotOurs(string outputDirectory, string message, string fix)
        => new(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.OutputFolderNotOurs, message, Location: new SourceLocation(outputDirectory), Fix: fix);

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
