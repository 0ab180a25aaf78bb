using System.Text.Json;
using System.Text.RegularExpressions;
using Basalt.Aws;
using Basalt.Credentials.Oidc;
using Basalt.Diagnostics;

namespace Basalt.Credentials.Settings;

/// <summary>
/// Reads <c>basalt-credential.json</c> into <see cref="CredentialHelperSettings"/>: every problem becomes a
/// <see cref="Diagnostic"/> with file:line, the field's path and a fix (codes in <see cref="CredentialDiagnosticCodes"/>);
/// fields a source does not use are warnings, so a typo never passes silently.
/// </summary>
internal static partial class CredentialHelperSettingsReader
{
    private static readonly HashSet<string> CommonFields = new(StringComparer.Ordinal) { "source", "region", "description", "output", "endpoints" };

    private static readonly Dictionary<CredentialSourceKind, HashSet<string>> SourceFields = new()
    {
        [CredentialSourceKind.IdentityCenter] = new(StringComparer.Ordinal) { "startUrl", "ssoRegion", "accountId", "roleName", "ssoSession", "scopes" },
        [CredentialSourceKind.AwsProfile] = new(StringComparer.Ordinal) { "profile", "awsDir", "awsCliPath" },
        [CredentialSourceKind.Static] = new(StringComparer.Ordinal) { "accessKeyId", "secretAccessKey", "sessionToken" },
        [CredentialSourceKind.BedrockApiKey] = new(StringComparer.Ordinal) { "apiKey" },
    };

    /// <summary>Reads and parses a settings file; null (with diagnostics) when it is missing or has errors.</summary>
    public static CredentialHelperSettings? Load(string path, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, CredentialDiagnosticCodes.Unreadable, $"cannot read the credential helper settings: {e.Message}", Location: new SourceLocation(path), Fix: "check that the file exists and is readable"));
            return null;
        }

        return Parse(json, path, diagnostics);
    }

    /// <summary>Parses settings JSON. Returns null when there is any error; warnings are added either way.</summary>
    public static CredentialHelperSettings? Parse(string json, string path, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var errorsBefore = diagnostics.Count(d => d.IsError);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, CredentialDiagnosticCodes.NotJson, $"not valid JSON: {e.Message}", Location: new SourceLocation(path, (int)(e.LineNumber ?? -1) + 1), Fix: "fix the JSON syntax"));
            return null;
        }

        using (document)
        {
            var lines = JsonLineMap.FromString(json);
            var context = new ParseContext(path, lines, diagnostics);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                context.Error(CredentialDiagnosticCodes.NotJson, null, "the settings must be a JSON object", "write { \"version\": 1, \"profiles\": { ... } }");
                return null;
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("version" or "defaultProfile" or "profiles" or "$schema"))
                {
                    context.Warn(CredentialDiagnosticCodes.UnknownField, property.Name, $"unknown field '{property.Name}' is ignored", "remove it; known fields: version, defaultProfile, profiles");
                }
            }

            var version = CredentialHelperSettings.CurrentVersion;
            if (!root.TryGetProperty("version", out var versionElement))
            {
                context.Error(CredentialDiagnosticCodes.Version, "version", "the settings have no 'version'", "add \"version\": 1");
            }
            else if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out version) || version != CredentialHelperSettings.CurrentVersion)
            {
                context.Error(CredentialDiagnosticCodes.Version, "version", $"unsupported version {versionElement.GetRawText()}", "this basalt-credential reads \"version\": 1; update basalt-credential or regenerate the file");
            }

            var profiles = new Dictionary<string, CredentialProfileSettings>(StringComparer.Ordinal);
            if (!root.TryGetProperty("profiles", out var profilesElement) || profilesElement.ValueKind != JsonValueKind.Object)
            {
                context.Error(CredentialDiagnosticCodes.NoProfiles, "profiles", "the settings have no 'profiles' object", "add \"profiles\": { \"default\": { \"source\": ... } }");
            }
            else
            {
                foreach (var p in profilesElement.EnumerateObject())
                {
                    if (ParseProfile(p.Name, p.Value, context) is { } profile)
                    {
                        profiles[p.Name] = profile;
                    }
                }

                if (!profilesElement.EnumerateObject().Any())
                {
                    context.Error(CredentialDiagnosticCodes.NoProfiles, "profiles", "'profiles' is empty", "define at least one profile");
                }
            }

            string? defaultProfile = null;
            if (root.TryGetProperty("defaultProfile", out var defaultElement))
            {
                if (defaultElement.ValueKind != JsonValueKind.String)
                {
                    context.Error(CredentialDiagnosticCodes.WrongType, "defaultProfile", "'defaultProfile' must be a string", "name one of the profiles");
                }
                else
                {
                    defaultProfile = defaultElement.GetString();
                    if (profilesElement.ValueKind == JsonValueKind.Object && !profilesElement.TryGetProperty(defaultProfile!, out _))
                    {
                        context.Error(CredentialDiagnosticCodes.UnknownDefaultProfile, "defaultProfile", $"defaultProfile '{defaultProfile}' is not one of the profiles ({string.Join(", ", profiles.Keys)})", "name one of the profiles under 'profiles'");
                    }
                }
            }

            if (diagnostics.Count(d => d.IsError) > errorsBefore)
            {
                return null;
            }

            return new CredentialHelperSettings { Version = version, DefaultProfile = defaultProfile, Profiles = profiles, Path = path };
        }
    }

    private static CredentialProfileSettings? ParseProfile(string name, JsonElement element, ParseContext context)
    {
        var prefix = $"profiles.{name}";
        var reader = new FieldReader(element, prefix, context);
        if (element.ValueKind != JsonValueKind.Object)
        {
            context.Error(CredentialDiagnosticCodes.WrongType, prefix, $"profile '{name}' must be a JSON object", "write { \"source\": \"identity-center\", ... }");
            return null;
        }

        var sourceText = reader.RequiredString("source", $"one of {string.Join(", ", CredentialSourceKinds.All)}");
        if (sourceText is null)
        {
            return null;
        }

        if (!CredentialSourceKinds.TryParse(sourceText, out var source))
        {
            context.Error(CredentialDiagnosticCodes.UnknownSource, $"{prefix}.source", $"unknown source '{sourceText}'", $"use one of {string.Join(", ", CredentialSourceKinds.All)}");
            return null;
        }

        if (source != CredentialSourceKind.Oidc)
        {
            var known = SourceFields[source];
            foreach (var property in element.EnumerateObject())
            {
                if (!CommonFields.Contains(property.Name) && !known.Contains(property.Name))
                {
                    context.Warn(CredentialDiagnosticCodes.UnknownField, $"{prefix}.{property.Name}", $"field '{property.Name}' is not used by source '{sourceText}' and is ignored", $"remove it; {sourceText} uses: {string.Join(", ", known)}");
                }
            }
        }

        var region = reader.OptionalString("region");
        if (region is not null && !AwsPartition.IsValidRegion(region))
        {
            context.Error(CredentialDiagnosticCodes.InvalidValue, $"{prefix}.region", $"'{region}' is not an AWS region", "use a region code such as us-west-2");
        }

        var output = ParseOutput(element, prefix, context);
        if (output.BedrockToken && region is null && source != CredentialSourceKind.BedrockApiKey)
        {
            context.Error(CredentialDiagnosticCodes.MissingField, $"{prefix}.region", "a Bedrock token is minted for one region, but the profile has no 'region'", "add \"region\": \"us-west-2\" (your Bedrock region)");
        }

        var profile = new CredentialProfileSettings
        {
            Name = name,
            Source = source,
            Region = region,
            Description = reader.OptionalString("description"),
            Output = output,
            Endpoints = ParseEndpoints(element, prefix, context),
            Location = new SourceLocation(context.Path, context.Lines.LineOf(prefix)),
        };

        switch (source)
        {
            case CredentialSourceKind.IdentityCenter:
                var startUrl = reader.RequiredString("startUrl", "the AWS access portal URL, e.g. \"https://d-xxxxxxxxxx.awsapps.com/start\"");
                if (startUrl is not null && (!Uri.TryCreate(startUrl, UriKind.Absolute, out var start) || (start.Scheme != Uri.UriSchemeHttps && !start.IsLoopback)))
                {
                    context.Error(CredentialDiagnosticCodes.InvalidValue, $"{prefix}.startUrl", $"'{startUrl}' is not an https URL", "use the access portal URL from IAM Identity Center settings, e.g. https://d-xxxxxxxxxx.awsapps.com/start");
                }

                var ssoRegion = reader.RequiredString("ssoRegion", "the IAM Identity Center home region, e.g. \"us-east-1\"");
                if (ssoRegion is not null && !AwsPartition.IsValidRegion(ssoRegion))
                {
                    context.Error(CredentialDiagnosticCodes.InvalidValue, $"{prefix}.ssoRegion", $"'{ssoRegion}' is not an AWS region", "use the Identity Center home region, e.g. us-east-1");
                }

                var accountId = reader.RequiredString("accountId", "the 12-digit AWS account id as a string");
                if (accountId is not null && !AccountIdPattern().IsMatch(accountId))
                {
                    context.Error(CredentialDiagnosticCodes.InvalidValue, $"{prefix}.accountId", $"'{accountId}' is not a 12-digit account id", "write all 12 digits as a string, keeping leading zeros: \"012345678901\"");
                }

                return profile with
                {
                    StartUrl = startUrl,
                    SsoRegion = ssoRegion,
                    AccountId = accountId,
                    RoleName = reader.RequiredString("roleName", "the permission-set name, e.g. \"BedrockInference\""),
                    SsoSession = reader.OptionalString("ssoSession"),
                    Scopes = reader.OptionalStringArray("scopes"),
                };
            case CredentialSourceKind.AwsProfile:
                return profile with
                {
                    AwsProfile = reader.RequiredString("profile", "the profile name in the AWS config file, e.g. \"claude-cowork\""),
                    AwsDir = reader.OptionalString("awsDir"),
                    AwsCliPath = reader.OptionalString("awsCliPath"),
                };
            case CredentialSourceKind.Static:
                return profile with
                {
                    AccessKeyId = reader.RequiredString("accessKeyId", "an access key id such as \"AKIA...\""),
                    SecretAccessKey = reader.RequiredString("secretAccessKey", "the secret access key"),
                    SessionToken = reader.OptionalString("sessionToken"),
                };
            case CredentialSourceKind.BedrockApiKey:
                return profile with { ApiKey = reader.RequiredString("apiKey", "a Bedrock API key") };
            case CredentialSourceKind.Oidc:
                var section = OidcOnly(element);
                var oidc = OidcSourceSettings.Parse(section, context.Diagnostics, prefix, new SourceLocation(context.Path, context.Lines.LineOf(prefix)));
                return profile with { OidcSection = section, Oidc = oidc };
            default:
                return null;
        }
    }

    /// <summary>The oidc source's own fields: everything but the common profile fields (region stays: STS needs it).</summary>
    private static JsonElement OidcOnly(JsonElement profile)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in profile.EnumerateObject())
            {
                if (property.Name == "region" || !CommonFields.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static CredentialOutputSettings ParseOutput(JsonElement profile, string prefix, ParseContext context)
    {
        if (!profile.TryGetProperty("output", out var output))
        {
            return CredentialOutputSettings.Default;
        }

        var path = $"{prefix}.output";
        if (output.ValueKind != JsonValueKind.Object)
        {
            context.Error(CredentialDiagnosticCodes.WrongType, path, "'output' must be an object", "write \"output\": { \"bedrockToken\": true }");
            return CredentialOutputSettings.Default;
        }

        var result = CredentialOutputSettings.Default;
        foreach (var property in output.EnumerateObject())
        {
            switch (property.Name)
            {
                case "bedrockToken":
                    if (property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        context.Error(CredentialDiagnosticCodes.WrongType, $"{path}.bedrockToken", "'bedrockToken' must be true or false", "write true or false without quotes");
                    }
                    else
                    {
                        result = result with { BedrockToken = property.Value.GetBoolean() };
                    }

                    break;
                case "tokenLifetime":
                    var text = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Number => property.Value.GetRawText(),
                        _ => null,
                    };
                    if (!DurationText.TryParse(text, out var lifetime) || lifetime < TimeSpan.FromMinutes(1) || lifetime > CredentialOutputSettings.MaxTokenLifetime)
                    {
                        context.Error(CredentialDiagnosticCodes.InvalidValue, $"{path}.tokenLifetime", $"'{property.Value.GetRawText()}' is not a lifetime from 1m to 12h", "write e.g. \"12h\", \"90m\" or a number of seconds (Bedrock short-term keys live at most 12 hours)");
                    }
                    else
                    {
                        result = result with { TokenLifetime = lifetime };
                    }

                    break;
                case "headers":
                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        context.Error(CredentialDiagnosticCodes.WrongType, $"{path}.headers", "'headers' must be an object of header names to string values", "write \"headers\": { \"X-Org-Route\": \"prod\" }");
                        break;
                    }

                    var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var header in property.Value.EnumerateObject())
                    {
                        if (header.Value.ValueKind != JsonValueKind.String || !HeaderNamePattern().IsMatch(header.Name))
                        {
                            context.Error(CredentialDiagnosticCodes.InvalidValue, $"{path}.headers.{header.Name}", $"header '{header.Name}' needs a valid name (RFC 9110 token) and a string value", "use e.g. \"X-Org-Route\": \"prod\"");
                            continue;
                        }

                        headers[header.Name] = header.Value.GetString()!;
                    }

                    result = result with { Headers = headers };
                    break;
                default:
                    context.Warn(CredentialDiagnosticCodes.UnknownField, $"{path}.{property.Name}", $"unknown field '{property.Name}' is ignored", "known fields: bedrockToken, tokenLifetime, headers");
                    break;
            }
        }

        return result;
    }

    private static AwsServiceEndpoints ParseEndpoints(JsonElement profile, string prefix, ParseContext context)
    {
        if (!profile.TryGetProperty("endpoints", out var endpoints))
        {
            return AwsServiceEndpoints.None;
        }

        var path = $"{prefix}.endpoints";
        if (endpoints.ValueKind != JsonValueKind.Object)
        {
            context.Error(CredentialDiagnosticCodes.WrongType, path, "'endpoints' must be an object", "write \"endpoints\": { \"sts\": \"https://...\" }");
            return AwsServiceEndpoints.None;
        }

        Uri? ssoOidc = null, sso = null, sts = null;
        foreach (var property in endpoints.EnumerateObject())
        {
            Uri? uri = null;
            if (property.Value.ValueKind != JsonValueKind.String || !Uri.TryCreate(property.Value.GetString(), UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
            {
                context.Error(CredentialDiagnosticCodes.InvalidValue, $"{path}.{property.Name}", $"'{property.Value.GetRawText()}' is not an https URL", "use the endpoint URL, e.g. https://vpce-xxxx.sts.us-east-1.vpce.amazonaws.com");
                uri = null;
            }

            switch (property.Name)
            {
                case "ssoOidc": ssoOidc = uri; break;
                case "sso": sso = uri; break;
                case "sts": sts = uri; break;
                default:
                    context.Warn(CredentialDiagnosticCodes.UnknownField, $"{path}.{property.Name}", $"unknown endpoint '{property.Name}' is ignored", "known endpoints: ssoOidc, sso, sts");
                    break;
            }
        }

        return new AwsServiceEndpoints(ssoOidc, sso, sts);
    }

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")]
    private static partial Regex HeaderNamePattern();

    private sealed class ParseContext(string path, JsonLineMap lines, ICollection<Diagnostic> diagnostics)
    {
        public string Path => path;

        public JsonLineMap Lines => lines;

        public ICollection<Diagnostic> Diagnostics => diagnostics;

        public void Error(string code, string? key, string message, string fix) => Add(DiagnosticSeverity.Error, code, key, message, fix);

        public void Warn(string code, string? key, string message, string fix) => Add(DiagnosticSeverity.Warning, code, key, message, fix);

        private void Add(DiagnosticSeverity severity, string code, string? key, string message, string fix)
            => diagnostics.Add(new Diagnostic(severity, code, message, key, new SourceLocation(path, key is null ? 0 : lines.LineOf(key)), fix));
    }

    private sealed class FieldReader(JsonElement element, string prefix, ParseContext context)
    {
        public string? RequiredString(string field, string expected)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(field, out var value))
            {
                context.Error(CredentialDiagnosticCodes.MissingField, $"{prefix}.{field}", $"'{field}' is required", $"add \"{field}\": {expected}");
                return null;
            }

            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                context.Error(CredentialDiagnosticCodes.WrongType, $"{prefix}.{field}", $"'{field}' must be a non-empty string", $"write {expected}");
                return null;
            }

            return value.GetString();
        }

        public string? OptionalString(string field)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                context.Error(CredentialDiagnosticCodes.WrongType, $"{prefix}.{field}", $"'{field}' must be a string", "put the value in double quotes");
                return null;
            }

            return value.GetString();
        }

        public IReadOnlyList<string>? OptionalStringArray(string field)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                context.Error(CredentialDiagnosticCodes.WrongType, $"{prefix}.{field}", $"'{field}' must be an array of strings", "write e.g. [\"sso:account:access\"]");
                return null;
            }

            return [.. value.EnumerateArray().Select(e => e.GetString()!)];
        }
    }
}
