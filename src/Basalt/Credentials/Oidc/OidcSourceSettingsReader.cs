using System.Text.RegularExpressions;
using Basalt.Aws;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// Reads the <c>oidc</c> source's fields with the one typed reader (<see cref="FieldReader"/>), so the section is
/// bounded and located like the rest of the settings file; the checks that are this source's own (issuer shape,
/// Entra tenancy, role ARN and partition, the flow an IdP offers) report with <see cref="OidcDiagnosticCodes"/>.
/// </summary>
internal static partial class OidcSourceSettingsReader
{
    private static readonly string[] Fields =
        ["issuer", "clientId", "preset", "redirectPort", "scopes", "roleArn", "region", "sessionDurationSeconds", "flow", "audience", "stsEndpoint"];

    /// <summary>The typed reads' codes; unknown fields are warnings (they are ignored).</summary>
    private static readonly InputCodes Codes = new(
        Syntax: OidcDiagnosticCodes.NotAnObject,
        DuplicateKey: OidcDiagnosticCodes.NotAnObject,
        Empty: OidcDiagnosticCodes.NotAnObject,
        UnknownKey: OidcDiagnosticCodes.UnknownField,
        MissingKey: OidcDiagnosticCodes.MissingField,
        WrongType: OidcDiagnosticCodes.WrongType,
        InvalidValue: OidcDiagnosticCodes.SessionDuration)
    {
        UnknownKeySeverity = DiagnosticSeverity.Warning,
    };

    /// <summary>
    /// Reads <paramref name="section"/> (keys reported under <paramref name="path"/>, e.g. <c>profiles.work</c>).
    /// Returns null when it has any error; warnings (unknown fields, a preset that does not match the issuer) are
    /// added to <paramref name="outer"/>'s diagnostics either way.
    /// </summary>
    public static OidcSourceSettings? Read(FieldReader outer, InputNode section, string path)
    {
        ArgumentNullException.ThrowIfNull(outer);
        ArgumentNullException.ThrowIfNull(section);
        var reader = outer.WithCodes(Codes);
        var errorsBefore = reader.ErrorCount;
        if (section.Kind != InputNodeKind.Mapping)
        {
            reader.Error(OidcDiagnosticCodes.NotAnObject, section, path, $"the oidc source settings must be a JSON object, not {section.Describe()}",
                "write the section as { \"issuer\": ..., \"clientId\": ..., \"roleArn\": ..., \"region\": ... }");
            return null;
        }

        reader.CheckKeys(section, path, Fields);
        var issuerText = Required(reader, section, path, "issuer", "the IdP's issuer URL, e.g. \"https://example.okta.com/oauth2/default\"");
        var issuer = issuerText is null ? null : ReadIssuer(reader, section, path, issuerText);
        var clientId = Required(reader, section, path, "clientId", "the OIDC application's client id, e.g. \"0oa1b2c3d4e5f6g7h8i9\"");
        var preset = ReadPreset(reader, section, path, issuer);
        if (issuer is not null && preset.Kind == OidcProviderKind.Entra)
        {
            CheckEntraIssuer(reader, section, path, issuer);
        }

        // Managed configuration travels as strings (cowork3p-reference §1.1), so "8400" is read as 8400 too.
        var redirectPort = reader.WithCodes(Codes with { InvalidValue = OidcDiagnosticCodes.RedirectPort })
            .Int(section, "redirectPort", path, 0, 65535) ?? OidcSourceSettings.DefaultRedirectPort;
        var scopes = ReadScopes(reader, section, path, preset);
        var roleArn = Required(reader, section, path, "roleArn", "the IAM role to assume, e.g. \"arn:aws:iam::123456789012:role/BedrockUsers\"");
        Match? arn = null;
        if (roleArn is not null)
        {
            arn = RoleArnPattern().Match(roleArn);
            if (!arn.Success)
            {
                reader.Error(OidcDiagnosticCodes.RoleArn, section.Get("roleArn")!, FieldReader.Join(path, "roleArn"), $"'{roleArn}' is not an IAM role ARN",
                    "use arn:<partition>:iam::<12-digit account>:role/<name>, e.g. arn:aws:iam::123456789012:role/BedrockUsers");
            }
        }

        var region = Required(reader, section, path, "region", "the AWS region for STS, e.g. \"us-east-1\"");
        if (region is not null)
        {
            var node = section.Get("region")!;
            var partition = AwsPartition.ForRegion(region);
            if (!AwsPartition.IsValidRegion(region) || partition is null)
            {
                reader.Error(OidcDiagnosticCodes.Region, node, FieldReader.Join(path, "region"), $"'{region}' is not an AWS region", "use a region code such as us-east-1 or us-gov-west-1");
            }
            else if (arn is { Success: true } && arn.Groups["partition"].Value != partition.Id)
            {
                reader.Error(OidcDiagnosticCodes.Region, node, FieldReader.Join(path, "region"),
                    $"region '{region}' is in partition '{partition.Id}' but roleArn is in '{arn.Groups["partition"].Value}'",
                    "use a region of the role's partition (STS of one partition cannot assume another partition's roles)");
            }
        }

        // IAM's limits for DurationSeconds; the role's own maximum (1-12 h) is checked by STS.
        var duration = reader.Int(section, "sessionDurationSeconds", path, 900, 43200) ?? OidcSourceSettings.DefaultSessionDurationSeconds;
        var flow = ReadFlow(reader, section, path);
        if (flow == OidcFlow.Device && !preset.SupportsDeviceFlow)
        {
            reader.Error(OidcDiagnosticCodes.NoDeviceFlow, section.Get("flow")!, FieldReader.Join(path, "flow"), $"{preset.Name} has no device authorization grant",
                "use \"flow\": \"browser\" (or \"auto\", which uses the browser for this IdP)");
        }

        var audience = Optional(reader, section, path, "audience");
        var stsEndpoint = Optional(reader, section, path, "stsEndpoint");
        Uri? stsUri = null;
        if (stsEndpoint is not null && (!Uri.TryCreate(stsEndpoint, UriKind.Absolute, out stsUri) || (stsUri.Scheme != Uri.UriSchemeHttps && !stsUri.IsLoopback)))
        {
            reader.Error(OidcDiagnosticCodes.StsEndpoint, section.Get("stsEndpoint")!, FieldReader.Join(path, "stsEndpoint"), $"'{stsEndpoint}' is not an https URL",
                "use the STS endpoint URL, e.g. https://sts.us-east-1.amazonaws.com or a VPC endpoint; omit it for the regional default");
            stsUri = null;
        }

        if (reader.ErrorCount > errorsBefore || issuerText is null || issuer is null || clientId is null || roleArn is null || region is null)
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

    /// <summary>A string that must be present and not blank, trimmed (people paste ids with a trailing space).</summary>
    private static string? Required(FieldReader reader, InputNode section, string path, string field, string expected)
    {
        var value = reader.String(section, field, path, required: true, fix: $"add \"{field}\": {expected}");
        return value is null ? null : NotBlank(reader, section, path, field, value.Value, $"set {field} to {expected}");
    }

    private static string? Optional(FieldReader reader, InputNode section, string path, string field)
        => reader.String(section, field, path) is { } value ? NotBlank(reader, section, path, field, value.Value, $"set {field} or remove it") : null;

    private static string? NotBlank(FieldReader reader, InputNode section, string path, string field, string value, string fix)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            reader.Error(OidcDiagnosticCodes.MissingField, section.Get(field)!, FieldReader.Join(path, field), $"'{field}' is empty", fix);
            return null;
        }

        return trimmed;
    }

    private static Uri? ReadIssuer(FieldReader reader, InputNode section, string path, string text)
    {
        var node = section.Get("issuer")!;
        var key = FieldReader.Join(path, "issuer");

        // cowork3p-reference §6.3: pasting the metadata URL as the issuer makes discovery fail with 404/405.
        var wellKnown = text.IndexOf("/.well-known", StringComparison.OrdinalIgnoreCase);
        if (wellKnown >= 0)
        {
            reader.Error(OidcDiagnosticCodes.MetadataUrlAsIssuer, node, key, $"'{text}' is a metadata URL, not an issuer",
                $"set issuer to \"{text[..wellKnown]}\" (Basalt appends /.well-known/openid-configuration itself)");
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            reader.Error(OidcDiagnosticCodes.InvalidIssuer, node, key, $"'{text}' is not an absolute URL", "use the issuer URL from the IdP, e.g. https://example.okta.com/oauth2/default");
            return null;
        }

        // IAM OIDC providers only accept https issuers; plain http is kept for IdPs on this machine (tests, dev).
        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            reader.Error(OidcDiagnosticCodes.InvalidIssuer, node, key, $"'{text}' must use https", $"use https://{uri.Authority}{uri.AbsolutePath}");
            return null;
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            reader.Error(OidcDiagnosticCodes.InvalidIssuer, node, key, $"'{text}' has a query or fragment, which an issuer never has (OpenID Connect Discovery §2)", $"use {uri.GetLeftPart(UriPartial.Path)}");
            return null;
        }

        return uri;
    }

    private static OidcProviderPreset ReadPreset(FieldReader reader, InputNode section, string path, Uri? issuer)
    {
        var detected = issuer is null ? OidcProviderPreset.Generic : OidcProviderPreset.Detect(issuer);
        var name = Optional(reader, section, path, "preset");
        if (name is null)
        {
            return detected;
        }

        var node = section.Get("preset")!;
        var key = FieldReader.Join(path, "preset");
        var preset = OidcProviderPreset.FromName(name);
        if (preset is null)
        {
            reader.Error(OidcDiagnosticCodes.UnknownPreset, node, key, $"unknown preset '{name}'", $"use one of: {string.Join(", ", OidcProviderPreset.All.Select(p => p.Name))}");
            return detected;
        }

        if (issuer is not null && preset.Kind != OidcProviderKind.Generic && detected.Kind != preset.Kind)
        {
            reader.Warning(OidcDiagnosticCodes.PresetMismatch, node, key,
                $"preset '{preset.Name}' does not match the issuer host '{issuer.Host}'" + (detected.Kind == OidcProviderKind.Generic ? string.Empty : $", which looks like {detected.Name}"),
                "check the issuer; a custom domain in front of the IdP is fine");
        }

        return preset;
    }

    private static void CheckEntraIssuer(FieldReader reader, InputNode section, string path, Uri issuer)
    {
        var node = section.Get("issuer")!;
        var key = FieldReader.Join(path, "issuer");
        var segments = issuer.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var tenant = segments.Length > 0 ? segments[0] : "{tenant-id}";
        if (tenant is "common" or "organizations" or "consumers")
        {
            reader.Error(OidcDiagnosticCodes.EntraIssuer, node, key,
                $"'{tenant}' is a multi-tenant alias; its ID tokens carry each user's own tenant as issuer, which no IAM OIDC provider can match",
                "use your tenant id: https://login.microsoftonline.com/<tenant-id>/v2.0");
            return;
        }

        if (segments.Length != 2 || segments[1] != "v2.0")
        {
            reader.Error(OidcDiagnosticCodes.EntraIssuer, node, key, $"'{issuer}' is not an Entra ID v2.0 issuer (v1 tokens are issued by https://sts.windows.net/<tenant>/)",
                $"use https://{issuer.Host}/{tenant}/v2.0");
        }
    }

    /// <summary>An array of single words, or one space-separated string (the form OAuth's <c>scope</c> parameter has).</summary>
    private static IReadOnlyList<string> ReadScopes(FieldReader reader, InputNode section, string path, OidcProviderPreset preset)
    {
        var node = section.Get("scopes");
        var key = FieldReader.Join(path, "scopes");
        if (node is null || node.IsNull)
        {
            return preset.DefaultScopes;
        }

        List<string> scopes = [];
        if (node.Kind == InputNodeKind.Scalar)
        {
            if (reader.Scalar(node, key) is not { } text)
            {
                return preset.DefaultScopes;
            }

            scopes.AddRange(text.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else if (reader.StringListOf(node, key, "scopes") is { } items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(items[i].Value) || items[i].Value.Contains(' ', StringComparison.Ordinal))
                {
                    reader.Error(OidcDiagnosticCodes.WrongType, node.Items[i], $"{key}[{i}]", "each scope must be a single non-empty word", "write scopes as [\"openid\", \"email\", \"offline_access\"]");
                }
                else
                {
                    scopes.Add(items[i].Value);
                }
            }
        }
        else
        {
            return preset.DefaultScopes;
        }

        if (!scopes.Contains("openid"))
        {
            reader.Warning(OidcDiagnosticCodes.OpenIdScopeMissing, node, key, "'openid' is missing; without it the IdP returns no ID token for STS, so Basalt adds it", "add \"openid\" to scopes");
            scopes.Insert(0, "openid");
        }

        return scopes.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static OidcFlow ReadFlow(FieldReader reader, InputNode section, string path)
    {
        var text = Optional(reader, section, path, "flow");
        switch (text)
        {
            case null or "auto":
                return OidcFlow.Auto;
            case "browser":
                return OidcFlow.Browser;
            case "device":
                return OidcFlow.Device;
            default:
                reader.Error(OidcDiagnosticCodes.Flow, section.Get("flow")!, FieldReader.Join(path, "flow"), $"unknown flow '{text}'",
                    "use \"auto\" (device code over SSH or without a display, browser otherwise), \"browser\" or \"device\"");
                return OidcFlow.Auto;
        }
    }

    [GeneratedRegex(@"^arn:(?<partition>aws|aws-us-gov|aws-cn):iam::\d{12}:role/[\w+=,.@/-]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArnPattern();
}
