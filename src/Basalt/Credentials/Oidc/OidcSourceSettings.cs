using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Basalt.Aws;
using Basalt.Diagnostics;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// The <c>oidc</c> credential source section: which IdP to sign in with (issuer, public client id, preset), how
/// (flow, loopback redirect port, scopes), and which role STS gives the signed-in user
/// (<c>AssumeRoleWithWebIdentity</c>, bedrock-and-clients §4). Build it with <see cref="Parse"/>, which reports
/// every problem as a <see cref="Diagnostic"/> naming the field.
/// </summary>
public sealed partial record OidcSourceSettings
{
    /// <summary>The redirect port of the AWS guidance (<c>http://localhost:8400/callback</c>), which IdP registrations already allow.</summary>
    public const int DefaultRedirectPort = 8400;

    public const int DefaultSessionDurationSeconds = 3600;

    /// <summary>
    /// The issuer exactly as configured (a string: <see cref="Uri"/> would add a trailing slash, and <c>iss</c> is
    /// compared character for character — Okta has none, Auth0 has one).
    /// </summary>
    public required string Issuer { get; init; }

    /// <summary>A public (native) client: no secret; PKCE protects the code (cowork3p-reference §6.3).</summary>
    public required string ClientId { get; init; }

    public OidcProviderKind Preset { get; init; } = OidcProviderKind.Generic;

    /// <summary>Loopback port of <c>http://127.0.0.1:{port}/callback</c>; 0 lets the OS pick (for IdPs that follow RFC 8252 §7.3).</summary>
    public int RedirectPort { get; init; } = DefaultRedirectPort;

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string RoleArn { get; init; }

    public required string Region { get; init; }

    public int SessionDurationSeconds { get; init; } = DefaultSessionDurationSeconds;

    public OidcFlow Flow { get; init; } = OidcFlow.Auto;

    /// <summary>
    /// The <c>aud</c> the ID token must carry when it is not the client id (some IdPs issue ID tokens for an
    /// application id that differs from the OAuth client id); it is also the client id the IAM OIDC provider lists.
    /// </summary>
    public string? Audience { get; init; }

    /// <summary>STS endpoint override (a VPC endpoint, FIPS, or the local emulator); default is the regional endpoint.</summary>
    public Uri? StsEndpoint { get; init; }

    public string ExpectedAudience => Audience ?? ClientId;

    internal OidcProviderPreset ProviderPreset => OidcProviderPreset.For(Preset);

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "issuer", "clientId", "preset", "redirectPort", "scopes", "roleArn", "region", "sessionDurationSeconds", "flow", "audience", "stsEndpoint",
    };

    /// <summary>
    /// Reads the section. Returns null when there is any error; warnings (unknown fields, a preset that does not
    /// match the issuer) are added to <paramref name="diagnostics"/> either way. <paramref name="keyPrefix"/> is the
    /// section's path in the settings file, used in every diagnostic's key (e.g. <c>sources.oidc.issuer</c>).
    /// </summary>
    public static OidcSourceSettings? Parse(JsonElement section, ICollection<Diagnostic> diagnostics, string keyPrefix = "oidc", SourceLocation? location = null)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var reader = new SectionReader(section, diagnostics, keyPrefix, location);
        if (section.ValueKind != JsonValueKind.Object)
        {
            reader.Error("BSL4101", null, $"the oidc source settings must be a JSON object, not {Describe(section.ValueKind)}", "write the section as { \"issuer\": ..., \"clientId\": ..., \"roleArn\": ..., \"region\": ... }");
            return null;
        }

        foreach (var property in section.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name))
            {
                var near = KnownFields.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                reader.Add(DiagnosticSeverity.Warning, "BSL4115", property.Name, $"unknown field '{property.Name}' is ignored",
                    near is null ? $"remove it; known fields: {string.Join(", ", KnownFields)}" : $"field names are case-sensitive: write '{near}'");
            }
        }

        var issuerText = reader.RequiredString("issuer", "the IdP's issuer URL, e.g. \"https://example.okta.com/oauth2/default\"");
        var issuer = issuerText is null ? null : ParseIssuer(reader, issuerText);
        var clientId = reader.RequiredString("clientId", "the OIDC application's client id, e.g. \"0oa1b2c3d4e5f6g7h8i9\"");
        var preset = ParsePreset(reader, issuer);
        if (issuer is not null && preset.Kind == OidcProviderKind.Entra)
        {
            CheckEntraIssuer(reader, issuer);
        }

        var redirectPort = reader.OptionalInt("redirectPort", 0, 65535, DefaultRedirectPort, "a TCP port 1-65535 (or 0 for any free port) registered with the IdP as http://127.0.0.1:<port>/callback");
        var scopes = ParseScopes(reader, preset);
        var roleArn = reader.RequiredString("roleArn", "the IAM role to assume, e.g. \"arn:aws:iam::123456789012:role/BedrockUsers\"");
        Match? arn = null;
        if (roleArn is not null)
        {
            arn = RoleArnPattern().Match(roleArn);
            if (!arn.Success)
            {
                reader.Error("BSL4111", "roleArn", $"'{roleArn}' is not an IAM role ARN", "use arn:<partition>:iam::<12-digit account>:role/<name>, e.g. arn:aws:iam::123456789012:role/BedrockUsers");
            }
        }

        var region = reader.RequiredString("region", "the AWS region for STS, e.g. \"us-east-1\"");
        if (region is not null)
        {
            var partition = AwsPartition.ForRegion(region);
            if (!AwsPartition.IsValidRegion(region) || partition is null)
            {
                reader.Error("BSL4112", "region", $"'{region}' is not an AWS region", "use a region code such as us-east-1 or us-gov-west-1");
            }
            else if (arn is { Success: true } && arn.Groups["partition"].Value != partition.Id)
            {
                reader.Error("BSL4112", "region", $"region '{region}' is in partition '{partition.Id}' but roleArn is in '{arn.Groups["partition"].Value}'", "use a region of the role's partition (STS of one partition cannot assume another partition's roles)");
            }
        }

        // IAM's limits for DurationSeconds; the role's own maximum (1-12 h) is checked by STS.
        var duration = reader.OptionalInt("sessionDurationSeconds", 900, 43200, DefaultSessionDurationSeconds, "a number of seconds from 900 (15 minutes) to 43200 (12 hours), within the role's maximum session duration");
        var flow = ParseFlow(reader);
        if (flow == OidcFlow.Device && !preset.SupportsDeviceFlow)
        {
            reader.Error("BSL4117", "flow", $"{preset.Name} has no device authorization grant", "use \"flow\": \"browser\" (or \"auto\", which uses the browser for this IdP)");
        }

        var audience = reader.OptionalString("audience");
        var stsEndpoint = reader.OptionalString("stsEndpoint");
        Uri? stsUri = null;
        if (stsEndpoint is not null && (!Uri.TryCreate(stsEndpoint, UriKind.Absolute, out stsUri) || (stsUri.Scheme != Uri.UriSchemeHttps && !IsLoopback(stsUri))))
        {
            reader.Error("BSL4116", "stsEndpoint", $"'{stsEndpoint}' is not an https URL", "use the STS endpoint URL, e.g. https://sts.us-east-1.amazonaws.com or a VPC endpoint; omit it for the regional default");
            stsUri = null;
        }

        if (reader.HasErrors || issuerText is null || issuer is null || clientId is null || roleArn is null || region is null)
        {
            return null;
        }

        return new OidcSourceSettings
        {
            Issuer = issuerText,
            ClientId = clientId,
            Preset = preset.Kind,
            RedirectPort = redirectPort,
            Scopes = scopes,
            RoleArn = roleArn,
            Region = region,
            SessionDurationSeconds = duration,
            Flow = flow,
            Audience = audience,
            StsEndpoint = stsUri,
        };
    }

    private static Uri? ParseIssuer(SectionReader reader, string text)
    {
        // cowork3p-reference §6.3: pasting the metadata URL as the issuer makes discovery fail with 404/405.
        var wellKnown = text.IndexOf("/.well-known", StringComparison.OrdinalIgnoreCase);
        if (wellKnown >= 0)
        {
            reader.Error("BSL4105", "issuer", $"'{text}' is a metadata URL, not an issuer", $"set issuer to \"{text[..wellKnown]}\" (Basalt appends /.well-known/openid-configuration itself)");
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            reader.Error("BSL4104", "issuer", $"'{text}' is not an absolute URL", "use the issuer URL from the IdP, e.g. https://example.okta.com/oauth2/default");
            return null;
        }

        // IAM OIDC providers only accept https issuers; plain http is kept for IdPs on this machine (tests, dev).
        if (uri.Scheme != Uri.UriSchemeHttps && !IsLoopback(uri))
        {
            reader.Error("BSL4104", "issuer", $"'{text}' must use https", $"use https://{uri.Authority}{uri.AbsolutePath}");
            return null;
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            reader.Error("BSL4104", "issuer", $"'{text}' has a query or fragment, which an issuer never has (OpenID Connect Discovery §2)", $"use {uri.GetLeftPart(UriPartial.Path)}");
            return null;
        }

        return uri;
    }

    private static OidcProviderPreset ParsePreset(SectionReader reader, Uri? issuer)
    {
        var detected = issuer is null ? OidcProviderPreset.Generic : OidcProviderPreset.Detect(issuer);
        var name = reader.OptionalString("preset");
        if (name is null)
        {
            return detected;
        }

        var preset = OidcProviderPreset.FromName(name);
        if (preset is null)
        {
            reader.Error("BSL4106", "preset", $"unknown preset '{name}'", $"use one of: {string.Join(", ", OidcProviderPreset.All.Select(p => p.Name))}");
            return detected;
        }

        if (issuer is not null && preset.Kind != OidcProviderKind.Generic && detected.Kind != preset.Kind)
        {
            reader.Add(DiagnosticSeverity.Warning, "BSL4107", "preset", $"preset '{preset.Name}' does not match the issuer host '{issuer.Host}'" + (detected.Kind == OidcProviderKind.Generic ? string.Empty : $", which looks like {detected.Name}"),
                "check the issuer; a custom domain in front of the IdP is fine");
        }

        return preset;
    }

    private static void CheckEntraIssuer(SectionReader reader, Uri issuer)
    {
        var segments = issuer.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var tenant = segments.Length > 0 ? segments[0] : "{tenant-id}";
        if (tenant is "common" or "organizations" or "consumers")
        {
            reader.Error("BSL4108", "issuer", $"'{tenant}' is a multi-tenant alias; its ID tokens carry each user's own tenant as issuer, which no IAM OIDC provider can match", "use your tenant id: https://login.microsoftonline.com/<tenant-id>/v2.0");
            return;
        }

        if (segments.Length != 2 || segments[1] != "v2.0")
        {
            reader.Error("BSL4108", "issuer", $"'{issuer}' is not an Entra ID v2.0 issuer (v1 tokens are issued by https://sts.windows.net/<tenant>/)", $"use https://{issuer.Host}/{tenant}/v2.0");
        }
    }

    private static IReadOnlyList<string> ParseScopes(SectionReader reader, OidcProviderPreset preset)
    {
        if (!reader.Section.TryGetProperty("scopes", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return preset.DefaultScopes;
        }

        List<string> scopes = [];
        if (element.ValueKind == JsonValueKind.String)
        {
            scopes.AddRange(element.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()) || item.GetString()!.Contains(' ', StringComparison.Ordinal))
                {
                    reader.Error("BSL4103", $"scopes[{index}]", "each scope must be a single non-empty word", "write scopes as [\"openid\", \"email\", \"offline_access\"]");
                }
                else
                {
                    scopes.Add(item.GetString()!);
                }

                index++;
            }
        }
        else
        {
            reader.Error("BSL4103", "scopes", $"expected an array of strings or a space-separated string, found {Describe(element.ValueKind)}", "write scopes as [\"openid\", \"email\", \"offline_access\"]");
            return preset.DefaultScopes;
        }

        if (!scopes.Contains("openid"))
        {
            reader.Add(DiagnosticSeverity.Warning, "BSL4110", "scopes", "'openid' is missing; without it the IdP returns no ID token for STS, so Basalt adds it", "add \"openid\" to scopes");
            scopes.Insert(0, "openid");
        }

        return scopes.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static OidcFlow ParseFlow(SectionReader reader)
    {
        var text = reader.OptionalString("flow");
        switch (text)
        {
            case null or "auto":
                return OidcFlow.Auto;
            case "browser":
                return OidcFlow.Browser;
            case "device":
                return OidcFlow.Device;
            default:
                reader.Error("BSL4114", "flow", $"unknown flow '{text}'", "use \"auto\" (device code over SSH or without a display, browser otherwise), \"browser\" or \"device\"");
                return OidcFlow.Auto;
        }
    }

    internal static bool IsLoopback(Uri uri) => uri.IsLoopback;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    [GeneratedRegex(@"^arn:(?<partition>aws|aws-us-gov|aws-cn):iam::\d{12}:role/[\w+=,.@/-]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArnPattern();

    /// <summary>Reads typed fields and turns every problem into a diagnostic keyed by the field's path.</summary>
    private sealed class SectionReader(JsonElement section, ICollection<Diagnostic> diagnostics, string prefix, SourceLocation? location)
    {
        public JsonElement Section => section;

        public bool HasErrors { get; private set; }

        public void Add(DiagnosticSeverity severity, string code, string? field, string message, string fix)
        {
            HasErrors |= severity == DiagnosticSeverity.Error;
            var key = field is null ? prefix : string.IsNullOrEmpty(prefix) ? field : $"{prefix}.{field}";
            diagnostics.Add(new Diagnostic(severity, code, message, key, location, fix));
        }

        public void Error(string code, string? field, string message, string fix) => Add(DiagnosticSeverity.Error, code, field, message, fix);

        public string? RequiredString(string field, string expected)
        {
            if (!section.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                Error("BSL4102", field, $"'{field}' is required", $"add \"{field}\": {expected}");
                return null;
            }

            return ReadString(field, element, expected);
        }

        public string? OptionalString(string field)
        {
            if (!section.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return ReadString(field, element, "a string");
        }

        public int OptionalInt(string field, int min, int max, int fallback, string expected)
        {
            if (!section.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return fallback;
            }

            // Managed configuration travels as strings (cowork3p-reference §1.1), so "8400" is accepted too.
            int value;
            if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value))
            {
            }
            else if (element.ValueKind == JsonValueKind.String && int.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value))
            {
            }
            else
            {
                Error("BSL4103", field, $"expected an integer, found {Describe(element.ValueKind)}", $"set {field} to {expected}");
                return fallback;
            }

            if (value < min || value > max)
            {
                Error(field == "redirectPort" ? "BSL4109" : "BSL4113", field, $"{value} is out of range {min}-{max}", $"set {field} to {expected}");
                return fallback;
            }

            return value;
        }

        private string? ReadString(string field, JsonElement element, string expected)
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                Error("BSL4103", field, $"expected a string, found {Describe(element.ValueKind)}", $"set {field} to {expected}");
                return null;
            }

            var value = element.GetString()!.Trim();
            if (value.Length == 0)
            {
                Error("BSL4102", field, $"'{field}' is empty", $"set {field} to {expected}");
                return null;
            }

            return value;
        }
    }
}
