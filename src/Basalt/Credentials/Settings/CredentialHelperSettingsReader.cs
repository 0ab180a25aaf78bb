using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Basalt.Aws;
using Basalt.Credentials.Oidc;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Credentials.Settings;

/// <summary>
/// Reads <c>basalt-credential.json</c> into <see cref="CredentialHelperSettings"/> through the one bounded reader of
/// outside input (<see cref="JsonInputReader"/> within <see cref="InputLimits"/>, then <see cref="FieldReader"/>):
/// every problem becomes a <see cref="Diagnostic"/> with file:line:column, the field's path and a fix (codes in
/// <see cref="CredentialDiagnosticCodes"/>); fields a source does not use are warnings, so a typo never passes
/// silently. Comments and trailing commas are accepted (people edit this file by hand; only the helper reads it).
/// </summary>
internal static partial class CredentialHelperSettingsReader
{
    /// <summary>The typed reads' codes; unknown fields are warnings (they are ignored).</summary>
    internal static readonly InputCodes Codes = new(
        Syntax: CredentialDiagnosticCodes.NotJson,
        DuplicateKey: CredentialDiagnosticCodes.NotJson,
        Empty: CredentialDiagnosticCodes.NotJson,
        UnknownKey: CredentialDiagnosticCodes.UnknownField,
        MissingKey: CredentialDiagnosticCodes.MissingField,
        WrongType: CredentialDiagnosticCodes.WrongType,
        InvalidValue: CredentialDiagnosticCodes.InvalidValue)
    {
        UnknownKeySeverity = DiagnosticSeverity.Warning,
    };

    private static readonly string[] TopFields = ["version", "defaultProfile", "profiles", "$schema"];

    private static readonly string[] OutputFields = ["bedrockToken", "tokenLifetime", "headers", "gatewayId"];

    private static readonly HashSet<string> CommonFields = new(StringComparer.Ordinal) { "source", "region", "description", "output", "endpoints" };

    private static readonly Dictionary<CredentialSourceKind, HashSet<string>> SourceFields = new()
    {
        [CredentialSourceKind.IdentityCenter] = new(StringComparer.Ordinal) { "startUrl", "ssoRegion", "accountId", "roleName", "ssoSession", "scopes" },
        [CredentialSourceKind.AwsProfile] = new(StringComparer.Ordinal) { "profile", "awsDir", "awsCliPath" },
        [CredentialSourceKind.Static] = new(StringComparer.Ordinal) { "accessKeyId", "secretAccessKey", "sessionToken" },
        [CredentialSourceKind.BedrockApiKey] = new(StringComparer.Ordinal) { "apiKey" },
        [CredentialSourceKind.Gateway] = new(StringComparer.Ordinal) { "gatewayUrl", "clientId", "scopes" },
    };

    /// <summary>Reads and parses a settings file; null (with diagnostics) when it is missing or has errors.</summary>
    public static CredentialHelperSettings? Load(string path, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        // A regular file within the input limit: a settings path pointing at /dev/zero or a FIFO is refused, not read.
        var bytes = InputText.ReadFile(path, InputLimits.Default.MaxInputBytes, out var problem);
        if (bytes is null)
        {
            diagnostics.Add(problem == InputText.FileProblem.TooLarge
                ? InputText.TooLarge(path, new FileInfo(path).Length, InputLimits.Default)
                : new Diagnostic(DiagnosticSeverity.Error, CredentialDiagnosticCodes.Unreadable, $"cannot read the credential helper settings: {Describe(problem)}",
                    Location: new SourceLocation(path), Fix: "check that the file exists and is readable"));
            return null;
        }

        return Parse(bytes, path, diagnostics);
    }

    /// <summary>Parses settings JSON. Returns null when there is any error; warnings are added either way.</summary>
    public static CredentialHelperSettings? Parse(string json, string path, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), path, diagnostics);
    }

    private static CredentialHelperSettings? Parse(byte[] json, string path, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var found = new List<Diagnostic>();
        var settings = Read(json, path, found);
        foreach (var d in found)
        {
            diagnostics.Add(d);
        }

        return found.Any(d => d.IsError) ? null : settings;
    }

    private static CredentialHelperSettings? Read(byte[] json, string path, List<Diagnostic> diagnostics)
    {
        var root = JsonInputReader.Read(json, path, Codes, InputLimits.Default, diagnostics, allowComments: true);
        if (root is null)
        {
            return null;
        }

        var reader = new FieldReader(Codes, diagnostics) { QuotedStringsOnly = true };
        if (root.Kind != InputNodeKind.Mapping)
        {
            reader.Error(CredentialDiagnosticCodes.NotJson, root, string.Empty, "the settings must be a JSON object", "write { \"version\": 1, \"profiles\": { ... } }");
            return null;
        }

        reader.CheckKeys(root, string.Empty, TopFields);
        var version = CredentialHelperSettings.CurrentVersion;
        if (root.Get("version") is not { } versionNode)
        {
            reader.Error(CredentialDiagnosticCodes.Version, root, "version", "the settings have no 'version'", "add \"version\": 1");
        }
        else if (versionNode.Kind != InputNodeKind.Scalar || !versionNode.IsPlain || !int.TryParse(versionNode.Scalar, out version) || version != CredentialHelperSettings.CurrentVersion)
        {
            reader.Error(CredentialDiagnosticCodes.Version, versionNode, "version", $"unsupported version {Shown(versionNode)}", "this basalt-credential reads \"version\": 1; update basalt-credential or regenerate the file");
        }

        var profiles = new Dictionary<string, CredentialProfileSettings>(StringComparer.Ordinal);
        var profilesNode = root.Get("profiles");
        if (profilesNode is null || profilesNode.Kind != InputNodeKind.Mapping)
        {
            reader.Error(CredentialDiagnosticCodes.NoProfiles, profilesNode ?? root, "profiles", "the settings have no 'profiles' object", "add \"profiles\": { \"default\": { \"source\": ... } }");
        }
        else if (profilesNode.Entries.Count == 0)
        {
            reader.Error(CredentialDiagnosticCodes.NoProfiles, profilesNode, "profiles", "'profiles' is empty", "define at least one profile");
        }
        else
        {
            foreach (var (key, value) in profilesNode.Entries)
            {
                if (ParseProfile(reader, path, key, value) is { } profile)
                {
                    profiles[profile.Name] = profile;
                }
            }
        }

        var defaultProfile = reader.String(root, "defaultProfile", string.Empty, fix: "name one of the profiles")?.Value;
        if (defaultProfile is not null && profilesNode?.Kind == InputNodeKind.Mapping && profilesNode.Get(defaultProfile) is null)
        {
            reader.Error(CredentialDiagnosticCodes.UnknownDefaultProfile, root.Get("defaultProfile")!, "defaultProfile",
                $"defaultProfile '{defaultProfile}' is not one of the profiles ({string.Join(", ", profiles.Keys)})", "name one of the profiles under 'profiles'");
        }

        return new CredentialHelperSettings { Version = version, DefaultProfile = defaultProfile, Profiles = profiles, Path = path };
    }

    private static CredentialProfileSettings? ParseProfile(FieldReader reader, string file, InputNode key, InputNode element)
    {
        var name = key.Scalar ?? string.Empty;
        var prefix = $"profiles.{name}";
        if (element.Kind != InputNodeKind.Mapping)
        {
            reader.Error(CredentialDiagnosticCodes.WrongType, element, prefix, $"profile '{name}' must be a JSON object", "write { \"source\": \"identity-center\", ... }");
            return null;
        }

        string? Required(string field, string expected) => RequiredString(reader, element, prefix, field, expected);
        string? Optional(string field) => reader.String(element, field, prefix)?.Value;

        var sourceText = Required("source", $"one of {string.Join(", ", CredentialSourceKinds.All)}");
        if (sourceText is null)
        {
            return null;
        }

        if (!CredentialSourceKinds.TryParse(sourceText, out var source))
        {
            reader.Error(CredentialDiagnosticCodes.UnknownSource, element.Get("source")!, $"{prefix}.source", $"unknown source '{sourceText}'", $"use one of {string.Join(", ", CredentialSourceKinds.All)}");
            return null;
        }

        if (source != CredentialSourceKind.Oidc)
        {
            var known = SourceFields[source];
            foreach (var (fieldKey, _) in element.Entries)
            {
                var field = fieldKey.Scalar ?? string.Empty;
                if (!CommonFields.Contains(field) && !known.Contains(field))
                {
                    reader.Warning(CredentialDiagnosticCodes.UnknownField, fieldKey, $"{prefix}.{field}", $"field '{field}' is not used by source '{sourceText}' and is ignored", $"remove it; {sourceText} uses: {string.Join(", ", known)}");
                }
            }
        }

        var region = Optional("region");
        if (region is not null && !AwsPartition.IsValidRegion(region))
        {
            reader.Error(CredentialDiagnosticCodes.InvalidValue, element.Get("region")!, $"{prefix}.region", $"'{region}' is not an AWS region", "use a region code such as us-west-2");
        }

        var output = ParseOutput(reader, element, prefix);
        if (output.BedrockToken && region is null && source != CredentialSourceKind.BedrockApiKey)
        {
            reader.Error(CredentialDiagnosticCodes.MissingField, element, $"{prefix}.region", "a Bedrock token is minted for one region, but the profile has no 'region'", "add \"region\": \"us-west-2\" (your Bedrock region)");
        }

        var profile = new CredentialProfileSettings
        {
            Name = name,
            Source = source,
            Region = region,
            Description = Optional("description"),
            Output = output,
            Endpoints = ParseEndpoints(reader, element, prefix),
            Location = key.Location,
        };

        switch (source)
        {
            case CredentialSourceKind.IdentityCenter:
                var startUrl = Required("startUrl", "the AWS access portal URL, e.g. \"https://d-xxxxxxxxxx.awsapps.com/start\"");
                if (startUrl is not null && (!Uri.TryCreate(startUrl, UriKind.Absolute, out var start) || (start.Scheme != Uri.UriSchemeHttps && !start.IsLoopback)))
                {
                    reader.Error(CredentialDiagnosticCodes.InvalidValue, element.Get("startUrl")!, $"{prefix}.startUrl", $"'{startUrl}' is not an https URL", "use the access portal URL from IAM Identity Center settings, e.g. https://d-xxxxxxxxxx.awsapps.com/start");
                }

                var ssoRegion = Required("ssoRegion", "the IAM Identity Center home region, e.g. \"us-east-1\"");
                if (ssoRegion is not null && !AwsPartition.IsValidRegion(ssoRegion))
                {
                    reader.Error(CredentialDiagnosticCodes.InvalidValue, element.Get("ssoRegion")!, $"{prefix}.ssoRegion", $"'{ssoRegion}' is not an AWS region", "use the Identity Center home region, e.g. us-east-1");
                }

                var accountId = Required("accountId", "the 12-digit AWS account id as a string");
                if (accountId is not null && !AccountIdPattern().IsMatch(accountId))
                {
                    reader.Error(CredentialDiagnosticCodes.InvalidValue, element.Get("accountId")!, $"{prefix}.accountId", $"'{accountId}' is not a 12-digit account id", "write all 12 digits as a string, keeping leading zeros: \"012345678901\"");
                }

                return profile with
                {
                    StartUrl = startUrl,
                    SsoRegion = ssoRegion,
                    AccountId = accountId,
                    RoleName = Required("roleName", "the permission-set name, e.g. \"BedrockInference\""),
                    SsoSession = Optional("ssoSession"),
                    Scopes = reader.StringList(element, "scopes", prefix)?.Select(v => v.Value).ToList(),
                };
            case CredentialSourceKind.AwsProfile:
                return profile with
                {
                    AwsProfile = Required("profile", "the profile name in the AWS config file, e.g. \"claude-cowork\""),
                    AwsDir = Optional("awsDir"),
                    AwsCliPath = Optional("awsCliPath"),
                };
            case CredentialSourceKind.Static:
                return profile with
                {
                    AccessKeyId = Required("accessKeyId", "an access key id such as \"AKIA...\""),
                    SecretAccessKey = Required("secretAccessKey", "the secret access key"),
                    SessionToken = Optional("sessionToken"),
                };
            case CredentialSourceKind.BedrockApiKey:
                return profile with { ApiKey = Required("apiKey", "a Bedrock API key") };
            case CredentialSourceKind.Gateway:
                var gatewayText = Required("gatewayUrl", "the gateway's base URL, e.g. \"https://gateway.example.com\"");
                Uri? gatewayUrl = null;
                if (gatewayText is not null && (!Uri.TryCreate(gatewayText, UriKind.Absolute, out gatewayUrl) || (gatewayUrl.Scheme != Uri.UriSchemeHttps && !(gatewayUrl.Scheme == Uri.UriSchemeHttp && gatewayUrl.IsLoopback))
                    || gatewayUrl.Query.Length > 0 || gatewayUrl.Fragment.Length > 0))
                {
                    reader.Error(CredentialDiagnosticCodes.InvalidValue, element.Get("gatewayUrl")!, $"{prefix}.gatewayUrl", $"'{gatewayText}' is not an https URL without query or fragment (plain http only on loopback)",
                        "write the gateway's issuer, e.g. https://gateway.example.com (the URL its /.well-known/oauth-authorization-server names)");
                    gatewayUrl = null;
                }

                return profile with
                {
                    GatewayUrl = gatewayUrl,
                    GatewayClientId = Optional("clientId") ?? "basalt-credential",
                    Scopes = reader.StringList(element, "scopes", prefix)?.Select(v => v.Value).ToList(),
                };
            case CredentialSourceKind.Oidc:
                var own = OidcOnly(element);
                var oidc = OidcSourceSettingsReader.Read(reader, own, prefix);
                return profile with { OidcSection = InputJson.Write(reader, own, prefix) is { } json ? Element(json.Value) : null, Oidc = oidc };
            default:
                return null;
        }
    }

    /// <summary>A string field that must be present and not blank.</summary>
    private static string? RequiredString(FieldReader reader, InputNode element, string prefix, string field, string expected)
    {
        var value = reader.String(element, field, prefix, required: true, fix: $"add \"{field}\": {expected}");
        if (value is not null && string.IsNullOrWhiteSpace(value.Value))
        {
            reader.Error(CredentialDiagnosticCodes.WrongType, element.Get(field)!, $"{prefix}.{field}", $"'{field}' must be a non-empty string", $"write {expected}");
            return null;
        }

        return value?.Value;
    }

    /// <summary>The oidc source's own fields: everything but the common profile fields (region stays: STS needs it).</summary>
    private static InputNode OidcOnly(InputNode profile) => profile.Without([.. CommonFields.Where(f => f != "region")]);

    /// <summary>The section as JSON (kept for the writer and the cache key), written from the bounded tree.</summary>
    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string Shown(InputNode node) => node.Kind != InputNodeKind.Scalar ? node.Describe() : node.IsPlain ? node.Scalar! : $"\"{node.Scalar}\"";

    private static string Describe(InputText.FileProblem problem) => problem switch
    {
        InputText.FileProblem.NotFound => "the file does not exist",
        InputText.FileProblem.NotRegularFile => "it is not a regular file",
        _ => "the file cannot be read (permissions?)",
    };

    private static CredentialOutputSettings ParseOutput(FieldReader reader, InputNode profile, string prefix)
    {
        var path = $"{prefix}.output";
        if (profile.Get("output") is not { } output)
        {
            return CredentialOutputSettings.Default;
        }

        if (output.Kind != InputNodeKind.Mapping)
        {
            reader.Error(CredentialDiagnosticCodes.WrongType, output, path, "'output' must be an object", "write \"output\": { \"bedrockToken\": true }");
            return CredentialOutputSettings.Default;
        }

        reader.CheckKeys(output, path, OutputFields);
        var result = CredentialOutputSettings.Default;
        if (reader.Bool(output, "bedrockToken", path) is { } bedrockToken)
        {
            result = result with { BedrockToken = bedrockToken };
        }

        if (reader.String(output, "gatewayId", path) is { } gatewayId)
        {
            result = result with { GatewayId = gatewayId.Value };
        }

        if (output.Get("tokenLifetime") is { } lifetimeNode)
        {
            var text = lifetimeNode.Kind == InputNodeKind.Scalar && !lifetimeNode.IsNull ? lifetimeNode.Scalar : null;
            if (!DurationText.TryParse(text, out var lifetime) || lifetime < TimeSpan.FromMinutes(1) || lifetime > CredentialOutputSettings.MaxTokenLifetime)
            {
                reader.Error(CredentialDiagnosticCodes.InvalidValue, lifetimeNode, $"{path}.tokenLifetime", $"'{Shown(lifetimeNode)}' is not a lifetime from 1m to 12h", "write e.g. \"12h\", \"90m\" or a number of seconds (Bedrock short-term keys live at most 12 hours)");
            }
            else
            {
                result = result with { TokenLifetime = lifetime };
            }
        }

        if (output.Get("headers") is { } headersNode)
        {
            if (headersNode.Kind != InputNodeKind.Mapping)
            {
                reader.Error(CredentialDiagnosticCodes.WrongType, headersNode, $"{path}.headers", "'headers' must be an object of header names to string values", "write \"headers\": { \"X-Org-Route\": \"prod\" }");
            }
            else
            {
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var (header, value) in headersNode.Entries)
                {
                    var name = header.Scalar ?? string.Empty;
                    if (value.Kind != InputNodeKind.Scalar || value.IsPlain || !HeaderNamePattern().IsMatch(name))
                    {
                        reader.Error(CredentialDiagnosticCodes.InvalidValue, header, $"{path}.headers.{name}", $"header '{name}' needs a valid name (RFC 9110 token) and a string value", "use e.g. \"X-Org-Route\": \"prod\"");
                        continue;
                    }

                    headers[name] = value.Scalar!;
                }

                result = result with { Headers = headers };
            }
        }

        return result;
    }

    private static AwsServiceEndpoints ParseEndpoints(FieldReader reader, InputNode profile, string prefix)
    {
        var path = $"{prefix}.endpoints";
        if (profile.Get("endpoints") is not { } endpoints)
        {
            return AwsServiceEndpoints.None;
        }

        if (endpoints.Kind != InputNodeKind.Mapping)
        {
            reader.Error(CredentialDiagnosticCodes.WrongType, endpoints, path, "'endpoints' must be an object", "write \"endpoints\": { \"sts\": \"https://...\" }");
            return AwsServiceEndpoints.None;
        }

        Uri? ssoOidc = null, sso = null, sts = null;
        foreach (var (key, value) in endpoints.Entries)
        {
            var name = key.Scalar ?? string.Empty;
            Uri? uri = null;
            if (value.Kind != InputNodeKind.Scalar || value.IsPlain || !Uri.TryCreate(value.Scalar, UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
            {
                reader.Error(CredentialDiagnosticCodes.InvalidValue, value, $"{path}.{name}", $"'{Shown(value)}' is not an https URL", "use the endpoint URL, e.g. https://vpce-xxxx.sts.us-east-1.vpce.amazonaws.com");
                uri = null;
            }

            switch (name)
            {
                case "ssoOidc": ssoOidc = uri; break;
                case "sso": sso = uri; break;
                case "sts": sts = uri; break;
                default:
                    reader.Warning(CredentialDiagnosticCodes.UnknownField, key, $"{path}.{name}", $"unknown endpoint '{name}' is ignored", "known endpoints: ssoOidc, sso, sts");
                    break;
            }
        }

        return new AwsServiceEndpoints(ssoOidc, sso, sts);
    }

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")]
    private static partial Regex HeaderNamePattern();
}
