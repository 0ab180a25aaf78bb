using System.Text;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Secrets;

/// <summary>
/// Resolves <c>${env:NAME}</c> and <c>${file:path}</c> references in deployment-file values. Secrets live in
/// the environment or in files next to the deployment, never in <c>basalt.yaml</c> itself. A value that used a
/// reference is treated as secret from then on (redacted in reports and logs, written to 0600 files): the
/// resolver cannot know which references hold credentials, so it errs on the safe side.
/// <c>$${</c> writes a literal <c>${</c>.
/// <para>
/// <c>${file:}</c> policy (issue 14): the path is relative to the deployment file's folder and must stay inside
/// it; absolute, <c>~/</c> and <c>..</c> paths (and links that lead outside) are refused unless the file opts in
/// with <c>secrets: { allowFilesOutsideFolder: true }</c>. Only regular files are read (never <c>/dev/zero</c>
/// or a FIFO) and at most <see cref="InputLimits.MaxReferencedFileBytes"/> of them.
/// </para>
/// </summary>
public sealed class SecretReferenceResolver : IValueResolver
{
    private readonly Func<string, string?> _environment;
    private readonly string _baseDirectory;
    private readonly InputLimits _limits;

    /// <param name="baseDirectory">Folder that relative <c>${file:...}</c> paths start from (the deployment file's folder).</param>
    /// <param name="environment">Reads an environment variable; defaults to the process environment.</param>
    /// <param name="limits">Size cap for referenced files; <see cref="InputLimits.Default"/> when null.</param>
    public SecretReferenceResolver(string baseDirectory, Func<string, string?>? environment = null, InputLimits? limits = null)
    {
        _baseDirectory = Path.GetFullPath(baseDirectory);
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _limits = limits ?? InputLimits.Default;
    }

    /// <summary>Set from the deployment file's <c>secrets.allowFilesOutsideFolder</c>: absolute and parent paths are allowed.</summary>
    public bool AllowFilesOutsideFolder { get; set; }

    bool IValueResolver.IsReference(string text) => ContainsReference(text);

    /// <summary>True when <paramref name="text"/> holds at least one reference.</summary>
    public static bool ContainsReference(string text)
    {
        for (var i = text.IndexOf("${", StringComparison.Ordinal); i >= 0; i = text.IndexOf("${", i + 2, StringComparison.Ordinal))
        {
            if (i == 0 || text[i - 1] != '$')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Replaces every reference in <paramref name="text"/>. Returns null (and adds one diagnostic per bad
    /// reference) when a reference cannot be resolved. <paramref name="usedReference"/> says whether the result
    /// came from the environment or a file.
    /// </summary>
    public string? Resolve(string text, string keyPath, SourceLocation location, ICollection<Diagnostic> diagnostics, out bool usedReference)
    {
        usedReference = false;
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var ok = true;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 2 < text.Length && text[i + 1] == '$' && text[i + 2] == '{')
            {
                result.Append("${");
                i += 3;
                continue;
            }

            if (text[i] != '$' || i + 1 >= text.Length || text[i + 1] != '{')
            {
                result.Append(text[i]);
                i++;
                continue;
            }

            var end = text.IndexOf('}', i + 2);
            if (end < 0)
            {
                diagnostics.Add(Error(DeploymentDiagnosticCodes.SecretReferenceSyntax, "a '${' reference is not closed with '}'", keyPath, location,
                    "write the reference as ${env:NAME} or ${file:path}; use $${ for a literal '${'"));
                return null;
            }

            var body = text[(i + 2)..end];
            var colon = body.IndexOf(':', StringComparison.Ordinal);
            var scheme = colon < 0 ? body : body[..colon];
            var argument = colon < 0 ? string.Empty : body[(colon + 1)..].Trim();
            usedReference = true;
            switch (scheme)
            {
                case "env" when argument.Length > 0:
                    var value = _environment(argument);
                    if (value is null)
                    {
                        diagnostics.Add(Error(DeploymentDiagnosticCodes.SecretNotFound,
                            $"environment variable '{argument}' is not set; expected it to hold the value for this key", keyPath, location,
                            $"export {argument}=... before running basalt, or use ${{file:path}} instead"));
                        ok = false;
                    }
                    else
                    {
                        result.Append(value);
                    }

                    break;
                case "file" when argument.Length > 0:
                    if (ReadSecretFile(argument, keyPath, location, diagnostics) is { } content)
                    {
                        result.Append(content);
                    }
                    else
                    {
                        ok = false;
                    }

                    break;
                default:
                    diagnostics.Add(Error(DeploymentDiagnosticCodes.SecretReferenceSyntax,
                        $"'${{{scheme}:...}}' is not a supported reference; expected ${{env:NAME}} or ${{file:path}}", keyPath, location,
                        "use ${env:NAME} for an environment variable or ${file:path} for a file"));
                    ok = false;
                    break;
            }

            i = end + 1;
        }

        return ok ? result.ToString() : null;
    }

    private string? ReadSecretFile(string argument, string keyPath, SourceLocation location, ICollection<Diagnostic> diagnostics)
    {
        var outside = Path.IsPathRooted(argument) || argument.StartsWith('~')
            || argument.Split('/', '\\').Any(part => part == "..");
        var path = ExpandPath(argument);
        if (!AllowFilesOutsideFolder && (outside || !IsInside(path) || (File.Exists(path) && !IsInside(RealPath(path)))))
        {
            diagnostics.Add(Error(DeploymentDiagnosticCodes.SecretFileOutsideFolder,
                $"secret file '{argument}' is outside the deployment file's folder; ${{file:}} paths are relative to {_baseDirectory} and stay inside it",
                keyPath, location, "move the file next to the deployment file, or opt in with 'secrets: { allowFilesOutsideFolder: true }' at the top of the file"));
            return null;
        }

        var bytes = InputText.ReadFile(path, _limits.MaxReferencedFileBytes, out var problem);
        if (bytes is null)
        {
            var (message, fix) = problem switch
            {
                InputText.FileProblem.NotFound => ("not found", $"create the file (relative paths start at {_baseDirectory}) and make it readable by this user"),
                InputText.FileProblem.NotRegularFile => ("not a regular file", "point the reference at a regular file holding the value (not a device, pipe or folder)"),
                InputText.FileProblem.TooLarge => ($"larger than {_limits.MaxReferencedFileBytes:N0} bytes (referenced file size)", "a secret is a short value; reference the file that holds only it"),
                _ => ("not readable", "make the file readable by this user"),
            };
            diagnostics.Add(Error(problem == InputText.FileProblem.TooLarge ? InputDiagnosticCodes.LimitExceeded : DeploymentDiagnosticCodes.SecretNotFound,
                $"cannot read secret file '{argument}' ({message}); expected a readable file holding the value", keyPath, location, fix));
            return null;
        }

        var text = InputText.Decode(bytes, argument, _limits, diagnostics);
        if (text is null)
        {
            return null;
        }

        return text.TrimEnd('\r', '\n');
    }

    private bool IsInside(string path)
    {
        var root = _baseDirectory.EndsWith(Path.DirectorySeparatorChar) ? _baseDirectory : _baseDirectory + Path.DirectorySeparatorChar;
        return path.StartsWith(root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static string RealPath(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private string ExpandPath(string path)
    {
        if (path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]);
        }

        return Path.GetFullPath(path, _baseDirectory);
    }

    private static Diagnostic Error(string code, string message, string keyPath, SourceLocation location, string fix)
        => new(DiagnosticSeverity.Error, code, message, keyPath, location, fix);
}
