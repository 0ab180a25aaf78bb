using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Basalt.Aws;

namespace Basalt.Credentials.Profiles;

/// <summary>
/// Runs a profile's <c>credential_process</c> like botocore's ProcessProvider (bedrock-and-clients §4): the command
/// line is split into words and run without a shell, stdout must be Version 1 JSON, a non-zero exit is a failure.
/// The command's stderr is passed through to the log (it is where such tools talk to the user); stdout is never
/// logged because it holds the secret.
/// </summary>
internal static class CredentialProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static async Task<AwsCredentials> RunAsync(string profileName, string commandLine, CredentialEnvironment environment, TextWriter log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!ShellWords.TrySplit(commandLine, out var words) || words.Count == 0)
        {
            throw new CredentialException($"credential_process of profile \"{profileName}\" is not a valid command line (unbalanced quotes or empty). Fix it in the AWS config file.");
        }

        var info = new ProcessStartInfo(words[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var w in words.Skip(1))
        {
            info.ArgumentList.Add(w);
        }

        info.Environment.Clear();
        foreach (var (k, v) in environment.Variables)
        {
            info.Environment[k] = v;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new CredentialException($"credential_process of profile \"{profileName}\" could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CredentialException($"credential_process of profile \"{profileName}\" could not be started: {words[0]}: {e.Message}. Check the path in the AWS config file.", e);
        }

        using (process)
        {
            var stdoutTask = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderrTask = PumpAsync(process.StandardError, log, cancellationToken);
            using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutCts.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                TryKill(process);
                cancellationToken.ThrowIfCancellationRequested();
                throw new CredentialException($"credential_process of profile \"{profileName}\" did not finish within {timeout.TotalSeconds:0} s and was stopped.");
            }

            var stdout = await stdoutTask.ConfigureAwait(false);
            await stderrTask.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new CredentialException($"credential_process of profile \"{profileName}\" failed with exit code {process.ExitCode} (its messages are above).");
            }

            return Parse(profileName, stdout);
        }
    }

    /// <summary>Parses Version 1 output. Error messages name the missing field, never a value.</summary>
    public static AwsCredentials Parse(string profileName, string stdout)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stdout);
        }
        catch (JsonException)
        {
            throw new CredentialException($"credential_process of profile \"{profileName}\" did not print JSON on stdout.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CredentialException($"credential_process of profile \"{profileName}\" printed JSON that is not an object.");
            }

            if (!root.TryGetProperty("Version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetDouble() != 1)
            {
                var shown = root.TryGetProperty("Version", out var v) ? v.GetRawText() : "<Version key not provided>";
                throw new CredentialException($"credential_process of profile \"{profileName}\": unsupported Version '{shown}', supported versions: 1.");
            }

            var accessKeyId = RequiredString(root, "AccessKeyId", profileName);
            var secret = RequiredString(root, "SecretAccessKey", profileName);
            var token = OptionalString(root, "SessionToken");
            DateTimeOffset? expiration = null;
            if (OptionalString(root, "Expiration") is { } text)
            {
                expiration = ParseTimestamp(text) ?? throw new CredentialException($"credential_process of profile \"{profileName}\" printed an Expiration that is not an ISO-8601 time.");
            }

            return new AwsCredentials(accessKeyId, secret, token, expiration);
        }
    }

    /// <summary>Parses ISO-8601 the way dateutil does for the formats AWS tools write (Z, +00:00, UTC suffix, fractions).</summary>
    internal static DateTimeOffset? ParseTimestamp(string text)
    {
        var t = text.Trim();
        if (t.EndsWith("UTC", StringComparison.Ordinal))
        {
            t = t[..^3] + "Z";
        }

        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
    }

    private static string RequiredString(JsonElement root, string name, string profileName)
        => OptionalString(root, name) ?? throw new CredentialException($"credential_process of profile \"{profileName}\" printed JSON without the required key {name}.");

    private static string? OptionalString(JsonElement root, string name)
        => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static async Task PumpAsync(StreamReader reader, TextWriter log, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            await log.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
