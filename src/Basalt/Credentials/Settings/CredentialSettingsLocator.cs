namespace Basalt.Credentials.Settings;

/// <summary>
/// Finds the credential helper's settings file. First match wins: <c>--settings FILE</c>;
/// <c>$BASALT_CREDENTIAL_SETTINGS</c>; <c>basalt-credential.json</c> next to the executable (what an installer
/// package ships); the user's file (<c>$XDG_CONFIG_HOME</c> or <c>~/.config</c>, then
/// <c>basalt/credential-helper.json</c>; <c>%APPDATA%\Basalt\credential-helper.json</c> on Windows); the machine's
/// file (<c>/etc/basalt/credential-helper.json</c>; <c>%ProgramData%\Basalt\credential-helper.json</c>). An explicit
/// path (option or variable) that does not exist is an error rather than a silent fall-through.
/// </summary>
public static class CredentialSettingsLocator
{
    public const string EnvironmentVariable = "BASALT_CREDENTIAL_SETTINGS";

    public const string UserFileName = "credential-helper.json";

    /// <summary>Every place looked at, in order, with whether it was given explicitly.</summary>
    public static IReadOnlyList<(string Path, bool Explicit)> Candidates(CredentialEnvironment environment, string? settingsOption = null, string? executableDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var list = new List<(string, bool)>();
        if (!string.IsNullOrEmpty(settingsOption))
        {
            list.Add((environment.ExpandUser(settingsOption), true));
        }

        if (environment.Get(EnvironmentVariable) is { } fromEnvironment)
        {
            list.Add((environment.ExpandUser(fromEnvironment), true));
        }

        executableDirectory ??= AppContext.BaseDirectory;
        list.Add((Path.Combine(executableDirectory, CredentialHelperSettings.FileName), false));
        if (OperatingSystem.IsWindows())
        {
            var appData = environment.Get("APPDATA") ?? Path.Combine(environment.HomeDirectory, "AppData", "Roaming");
            list.Add((Path.Combine(appData, "Basalt", UserFileName), false));
            var programData = environment.Get("ProgramData") ?? @"C:\ProgramData";
            list.Add((Path.Combine(programData, "Basalt", UserFileName), false));
        }
        else
        {
            var config = environment.Get("XDG_CONFIG_HOME") ?? Path.Combine(environment.HomeDirectory, ".config");
            list.Add((Path.Combine(config, "basalt", UserFileName), false));
            list.Add(("/etc/basalt/" + UserFileName, false));
        }

        return list;
    }

    /// <summary>
    /// The settings file to use, or null with <paramref name="error"/> saying what is wrong (an explicit path
    /// missing) or where it looked.
    /// </summary>
    public static string? Find(CredentialEnvironment environment, out string? error, string? settingsOption = null, string? executableDirectory = null)
    {
        var candidates = Candidates(environment, settingsOption, executableDirectory);
        foreach (var (path, isExplicit) in candidates)
        {
            if (File.Exists(path))
            {
                error = null;
                return path;
            }

            if (isExplicit)
            {
                error = $"the credential helper settings file {path} does not exist (given by {(path == environment.ExpandUser(settingsOption ?? string.Empty) ? "--settings" : "$" + EnvironmentVariable)})";
                return null;
            }
        }

        error = $"no credential helper settings found; looked in: {string.Join(", ", candidates.Select(c => c.Path))}";
        return null;
    }
}
