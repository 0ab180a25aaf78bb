using System.Diagnostics;

namespace Basalt.Credentials.Profiles;

/// <summary>
/// Finds and runs the AWS CLI for <c>aws sso login --profile NAME</c>, as Claude Desktop does for named profiles
/// (seed 000, "Named profile"): the configured path (<c>inferenceBedrockAwsCliPath</c>), then the launch
/// environment's PATH, then the user's login-shell PATH (<c>$SHELL -lc 'command -v aws'</c>, because apps started
/// from the Dock or Finder do not inherit it), then the standard install locations.
/// </summary>
internal static class AwsCli
{
    /// <summary>What to tell a user who has no AWS CLI (seed 000: "instructs the user to install AWS CLI v2 and
    /// run aws sso login --profile &lt;name&gt; manually").</summary>
    public static string InstallHint(string profileName)
        => $"The AWS CLI v2 was not found (looked in inferenceBedrockAwsCliPath, PATH, the login shell's PATH, /usr/local/bin and /opt/homebrew/bin). " +
           $"Install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), then run: aws sso login --profile {profileName}";

    public static async Task<string?> FindAsync(CredentialEnvironment environment, string? configuredPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(configuredPath))
        {
            var expanded = environment.ExpandUser(configuredPath);
            return IsExecutable(expanded) ? expanded : null;
        }

        var name = OperatingSystem.IsWindows() ? "aws.exe" : "aws";
        foreach (var dir in (environment.Get("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        if (!OperatingSystem.IsWindows() && await FromLoginShellAsync(environment, cancellationToken).ConfigureAwait(false) is { } fromShell)
        {
            return fromShell;
        }

        string[] standard = OperatingSystem.IsWindows()
            ? [Path.Combine(environment.Get("ProgramFiles") ?? @"C:\Program Files", "Amazon", "AWSCLIV2", "aws.exe")]
            : ["/usr/local/bin/aws", "/opt/homebrew/bin/aws"];
        return standard.FirstOrDefault(IsExecutable);
    }

    /// <summary>Runs <c>aws sso login --profile NAME</c>; its output goes to <paramref name="log"/>, never to stdout.</summary>
    public static async Task<int> SsoLoginAsync(string cli, string profileName, CredentialEnvironment environment, TextWriter log, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(cli)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add("sso");
        info.ArgumentList.Add("login");
        info.ArgumentList.Add("--profile");
        info.ArgumentList.Add(profileName);
        info.Environment.Clear();
        foreach (var (k, v) in environment.Variables)
        {
            info.Environment[k] = v;
        }

        using var process = Process.Start(info) ?? throw new CredentialException($"could not start {cli}");
        process.StandardInput.Close();
        var synced = TextWriter.Synchronized(log);
        var pumpOut = PumpAsync(process.StandardOutput, synced, cancellationToken);
        var pumpErr = PumpAsync(process.StandardError, synced, cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(pumpOut, pumpErr).ConfigureAwait(false);
        return process.ExitCode;
    }

    private static async Task<string?> FromLoginShellAsync(CredentialEnvironment environment, CancellationToken cancellationToken)
    {
        var shell = environment.Get("SHELL");
        if (shell is null || !IsExecutable(shell))
        {
            return null;
        }

        var info = new ProcessStartInfo(shell)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add("-lc");
        info.ArgumentList.Add("command -v aws");
        info.Environment.Clear();
        foreach (var (k, v) in environment.Variables)
        {
            info.Environment[k] = v;
        }

        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);

            // A login shell that hangs (a prompt in .profile) must not hang the helper.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            var path = (await stdout.ConfigureAwait(false)).Trim().Split('\n').LastOrDefault()?.Trim();
            return process.ExitCode == 0 && !string.IsNullOrEmpty(path) && Path.IsPathRooted(path) && IsExecutable(path) ? path : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    private static async Task PumpAsync(StreamReader reader, TextWriter log, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            await log.WriteLineAsync(line).ConfigureAwait(false);
        }
    }
}
