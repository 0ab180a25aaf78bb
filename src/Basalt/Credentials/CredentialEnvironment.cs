using System.Collections;

namespace Basalt.Credentials;

/// <summary>
/// The process environment a credential resolution runs in: variables, the home folder and the clock. The helper
/// passes its real environment (<see cref="FromProcess"/>); tests pass a throwaway one so that <c>HOME</c>,
/// <c>AWS_CONFIG_FILE</c>, <c>BROWSER</c> and friends never touch the machine's own files.
/// </summary>
public sealed class CredentialEnvironment
{
    private readonly Dictionary<string, string> _variables;

    public CredentialEnvironment(IEnumerable<KeyValuePair<string, string?>> variables, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(variables);

        // Windows variable names are case-insensitive; POSIX names are not.
        _variables = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (var (key, value) in variables)
        {
            if (value is not null)
            {
                _variables[key] = value;
            }
        }

        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The clock every expiry decision uses; tests shift it to prove clock-skew handling.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// The user's home folder the way the AWS CLI expands <c>~</c>: <c>HOME</c>, then <c>USERPROFILE</c> on Windows,
    /// then the OS profile folder.
    /// </summary>
    public string HomeDirectory
    {
        get
        {
            var home = Get("HOME");
            if (OperatingSystem.IsWindows())
            {
                home ??= Get("USERPROFILE");
            }

            return string.IsNullOrEmpty(home) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : home;
        }
    }

    public IReadOnlyDictionary<string, string> Variables => _variables;

    public static CredentialEnvironment FromProcess(TimeProvider? timeProvider = null)
        => FromDictionary(Environment.GetEnvironmentVariables(), timeProvider);

    public static CredentialEnvironment FromDictionary(IDictionary variables, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var list = new List<KeyValuePair<string, string?>>(variables.Count);
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is string key)
            {
                list.Add(new(key, entry.Value as string));
            }
        }

        return new CredentialEnvironment(list, timeProvider);
    }

    /// <summary>The value of a variable, or null when it is unset or empty.</summary>
    public string? Get(string name) => _variables.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    /// <summary>Expands a leading <c>~</c> the way Python's <c>os.path.expanduser</c> does for the AWS CLI.</summary>
    public string ExpandUser(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "~")
        {
            return HomeDirectory;
        }

        if (path.StartsWith("~/", StringComparison.Ordinal) || (OperatingSystem.IsWindows() && path.StartsWith("~\\", StringComparison.Ordinal)))
        {
            return Path.Combine(HomeDirectory, path[2..]);
        }

        return path;
    }

    /// <summary>A copy with some variables replaced (null removes one).</summary>
    public CredentialEnvironment With(IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = new Dictionary<string, string?>(_variables.Count, _variables.Comparer);
        foreach (var (k, v) in _variables)
        {
            merged[k] = v;
        }

        foreach (var (k, v) in overrides)
        {
            merged[k] = v;
        }

        return new CredentialEnvironment(merged, TimeProvider);
    }

    /// <summary>Now, from <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset UtcNow => TimeProvider.GetUtcNow();
}
