namespace Basalt.Deployment.Generation;

/// <summary>
/// Builds command strings for <c>awsAuthRefresh</c>, <c>awsCredentialExport</c> and <c>credential_process</c>,
/// quoting an executable path only when it needs it (Windows' default install path has a space).
/// </summary>
internal static class CommandLine
{
    public static string Build(DeploymentPlatform platform, string executable, params string[] arguments)
        => string.Join(' ', new[] { Quote(platform, executable) }.Concat(arguments.Select(a => Quote(platform, a))));

    public static string Quote(DeploymentPlatform platform, string value)
    {
        if (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '\\' or ':' or '.' or '-' or '_' or '=' or '@' or '+' or ','))
        {
            return value;
        }

        // Windows: double quotes (cmd and the AWS CLI's Windows splitter); POSIX shells: single quotes.
        return platform == DeploymentPlatform.Windows
            ? $"\"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\""
            : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";
    }
}
