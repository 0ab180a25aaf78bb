using Basalt.Diagnostics;

namespace Basalt.Credentials.Settings;

/// <summary>
/// The credential helper's settings file, <c>basalt-credential.json</c>:
/// <code>
/// {"version":1,"defaultProfile":"work","profiles":{"work":{"source":"identity-center","region":"us-west-2",
///   "startUrl":"https://d-xxxxxxxxxx.awsapps.com/start","ssoRegion":"us-east-1","accountId":"123456789012",
///   "roleName":"BedrockInference","output":{"bedrockToken":true,"tokenLifetime":"12h","headers":{"X-Org":"a"}}}}}
/// </code>
/// The model; <see cref="CredentialHelperSettingsReader"/> parses it, reporting every problem as a diagnostic naming
/// file:line and field (codes in <see cref="CredentialDiagnosticCodes"/>), and <see cref="CredentialHelperSettingsWriter"/>
/// writes the same format (<c>basalt deploy generate</c> writes one per user group).
/// </summary>
public sealed record CredentialHelperSettings
{
    public const int CurrentVersion = 1;

    public const string FileName = "basalt-credential.json";

    public int Version { get; init; } = CurrentVersion;

    /// <summary>The profile used when none is named; null with exactly one profile means that one.</summary>
    public string? DefaultProfile { get; init; }

    public IReadOnlyDictionary<string, CredentialProfileSettings> Profiles { get; init; } = new Dictionary<string, CredentialProfileSettings>(StringComparer.Ordinal);

    /// <summary>The file these settings came from; null when built in code.</summary>
    public string? Path { get; init; }

    /// <summary>Looks a profile up by name, or the default one when <paramref name="name"/> is null.</summary>
    public CredentialProfileSettings? GetProfile(string? name)
    {
        name ??= DefaultProfile ?? (Profiles.Count == 1 ? Profiles.Keys.First() : null);
        return name is not null && Profiles.TryGetValue(name, out var profile) ? profile : null;
    }
    /// <summary>Reads and parses a settings file; null (with diagnostics) when it is missing or has errors.</summary>
    public static CredentialHelperSettings? Load(string path, ICollection<Diagnostic> diagnostics) => CredentialHelperSettingsReader.Load(path, diagnostics);

    /// <summary>Parses settings JSON. Returns null when there is any error; warnings are added either way.</summary>
    public static CredentialHelperSettings? Parse(string json, string path, ICollection<Diagnostic> diagnostics) => CredentialHelperSettingsReader.Parse(json, path, diagnostics);

    /// <summary>Writes the settings in the file format <see cref="Parse"/> reads (indented, UTF-8, no BOM).</summary>
    public string ToJson() => CredentialHelperSettingsWriter.ToJson(this);

    /// <summary>Writes <see cref="ToJson"/> atomically; 0600 when a profile holds a secret (static keys, API key).</summary>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default) => CredentialHelperSettingsWriter.SaveAsync(this, path, cancellationToken);

    public override string ToString() => $"CredentialHelperSettings {{ Path = {Path}, DefaultProfile = {DefaultProfile}, Profiles = [{string.Join(", ", Profiles.Keys)}] }}";
}
