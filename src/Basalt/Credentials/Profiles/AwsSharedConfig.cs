using Basalt.Diagnostics;

namespace Basalt.Credentials.Profiles;

/// <summary>
/// The AWS shared config and credentials files loaded the way AWS CLI v2 loads them (botocore
/// <c>Session.full_config</c>): <c>[profile x]</c> and <c>[default]</c> sections of the config file become profiles
/// (the name is taken with shell-word rules, so <c>[profile "a b"]</c> is <c>a b</c>), <c>[sso-session x]</c> sections
/// become SSO sessions, and every section of the credentials file is a profile by its bare name whose values override
/// the config file's. A file the CLI could not parse yields its diagnostics and contributes nothing.
/// </summary>
public sealed class AwsSharedConfig
{
    private AwsSharedConfig(string configPath, string credentialsPath)
    {
        ConfigFilePath = configPath;
        CredentialsFilePath = credentialsPath;
    }

    public string ConfigFilePath { get; }

    public string CredentialsFilePath { get; }

    /// <summary>Profiles from both files, merged (credentials file wins per key), as <c>full_config["profiles"]</c>.</summary>
    public IReadOnlyDictionary<string, AwsConfigProfile> Profiles => MergedProfiles;

    public IReadOnlyDictionary<string, AwsConfigProfile> SsoSessions => Sessions;

    /// <summary>Profiles of the config file alone: botocore's ConfigProvider reads static keys only from here.</summary>
    internal Dictionary<string, AwsConfigProfile> ConfigFileProfiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Sections of the credentials file alone: botocore's SharedCredentialProvider reads only these.</summary>
    internal Dictionary<string, AwsConfigProfile> CredentialsFileProfiles { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, AwsConfigProfile> MergedProfiles { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, AwsConfigProfile> Sessions { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<Diagnostic> Diagnostics { get; private set; } = [];

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>
    /// The config file path: <paramref name="awsDirectory"/>/config when given (Claude Desktop's
    /// <c>inferenceBedrockAwsDir</c>), else <c>AWS_CONFIG_FILE</c>, else <c>~/.aws/config</c>.
    /// </summary>
    public static string ResolveConfigPath(CredentialEnvironment environment, string? awsDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(awsDirectory))
        {
            return Path.Combine(environment.ExpandUser(awsDirectory), "config");
        }

        return environment.ExpandUser(environment.Get("AWS_CONFIG_FILE") ?? Path.Combine(environment.HomeDirectory, ".aws", "config"));
    }

    /// <summary>The credentials file path: the same rules with <c>AWS_SHARED_CREDENTIALS_FILE</c>.</summary>
    public static string ResolveCredentialsPath(CredentialEnvironment environment, string? awsDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(awsDirectory))
        {
            return Path.Combine(environment.ExpandUser(awsDirectory), "credentials");
        }

        return environment.ExpandUser(environment.Get("AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(environment.HomeDirectory, ".aws", "credentials"));
    }

    public static AwsSharedConfig Load(CredentialEnvironment environment, string? awsDirectory = null)
        => Load(ResolveConfigPath(environment, awsDirectory), ResolveCredentialsPath(environment, awsDirectory));

    public static AwsSharedConfig Load(string configPath, string credentialsPath)
        => FromFiles(configPath, AwsIniFile.Load(configPath), credentialsPath, AwsIniFile.Load(credentialsPath));

    /// <summary>Builds from file contents; used by tests and by <c>basalt</c> to check a config before shipping it.</summary>
    public static AwsSharedConfig Parse(string? configText, string? credentialsText, string configPath = "config", string credentialsPath = "credentials")
        => FromFiles(
            configPath,
            configText is null ? null : AwsIniFile.Parse(configText, configPath),
            credentialsPath,
            credentialsText is null ? null : AwsIniFile.Parse(credentialsText, credentialsPath));

    private static AwsSharedConfig FromFiles(string configPath, AwsIniFile? config, string credentialsPath, AwsIniFile? credentials)
    {
        var result = new AwsSharedConfig(configPath, credentialsPath);
        var diagnostics = new List<Diagnostic>();
        if (config is not null)
        {
            diagnostics.AddRange(config.Diagnostics);
            foreach (var section in config.Sections)
            {
                // botocore build_profile_map: a section whose name starts with "profile"/"sso-session" and splits
                // into exactly two shell words names a profile/session; "default" is the default profile; other
                // sections (e.g. [services x], [plugins]) are not profiles.
                if (section.Name.StartsWith("profile", StringComparison.Ordinal))
                {
                    if (ShellWords.TrySplitPosix(section.Name, out var parts) && parts.Count == 2)
                    {
                        result.ConfigFileProfiles[parts[1]] = ToProfile(parts[1], section, configPath);
                    }
                }
                else if (section.Name.StartsWith("sso-session", StringComparison.Ordinal))
                {
                    if (ShellWords.TrySplitPosix(section.Name, out var parts) && parts.Count == 2)
                    {
                        result.Sessions[parts[1]] = ToProfile(parts[1], section, configPath);
                    }
                }
                else if (section.Name == "default")
                {
                    result.ConfigFileProfiles["default"] = ToProfile("default", section, configPath);
                }
            }
        }

        foreach (var (name, profile) in result.ConfigFileProfiles)
        {
            result.MergedProfiles[name] = profile.CloneAs(name);
        }

        if (credentials is not null)
        {
            diagnostics.AddRange(credentials.Diagnostics);
            foreach (var section in credentials.Sections)
            {
                var profile = ToProfile(section.Name, section, credentialsPath);
                result.CredentialsFileProfiles[section.Name] = profile;
                if (!result.MergedProfiles.TryGetValue(section.Name, out var merged))
                {
                    result.MergedProfiles[section.Name] = profile.CloneAs(section.Name);
                }
                else
                {
                    foreach (var (key, value) in section.Values)
                    {
                        merged.Set(key, value, credentialsPath);
                    }
                }
            }
        }

        result.Diagnostics = diagnostics;
        return result;
    }

    private static AwsConfigProfile ToProfile(string name, AwsIniSection section, string path)
    {
        var profile = new AwsConfigProfile(name, new SourceLocation(path, section.Line));
        foreach (var (key, value) in section.Values)
        {
            profile.Set(key, value, path);
        }

        return profile;
    }
}
