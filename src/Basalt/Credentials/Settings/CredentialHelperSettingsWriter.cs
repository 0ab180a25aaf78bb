using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Basalt.IO;

namespace Basalt.Credentials.Settings;

/// <summary>Writes <see cref="CredentialHelperSettings"/> as <c>basalt-credential.json</c>, the format <see cref="CredentialHelperSettingsReader"/> reads.</summary>
internal static class CredentialHelperSettingsWriter
{
    /// <summary>The settings in the file format the reader reads (indented, UTF-8, no BOM).</summary>
    public static string ToJson(CredentialHelperSettings settings)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", settings.Version);
            if (settings.DefaultProfile is not null)
            {
                writer.WriteString("defaultProfile", settings.DefaultProfile);
            }

            writer.WriteStartObject("profiles");
            foreach (var (name, profile) in settings.Profiles)
            {
                writer.WritePropertyName(name);
                WriteProfile(writer, profile);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> atomically; 0600 when a profile holds a secret (static keys, API key).</summary>
    public static Task SaveAsync(CredentialHelperSettings settings, string path, CancellationToken cancellationToken = default)
    {
        var secret = settings.Profiles.Values.Any(p => p.SecretAccessKey is not null || p.ApiKey is not null);
        return AtomicFile.WriteAllTextAsync(path, ToJson(settings), secret, cancellationToken);
    }

    private static void WriteProfile(Utf8JsonWriter writer, CredentialProfileSettings p)
    {
        writer.WriteStartObject();
        writer.WriteString("source", CredentialSourceKinds.ToName(p.Source));
        Optional(writer, "description", p.Description);
        Optional(writer, "region", p.Region);
        switch (p.Source)
        {
            case CredentialSourceKind.IdentityCenter:
                Optional(writer, "startUrl", p.StartUrl);
                Optional(writer, "ssoRegion", p.SsoRegion);
                Optional(writer, "accountId", p.AccountId);
                Optional(writer, "roleName", p.RoleName);
                Optional(writer, "ssoSession", p.SsoSession);
                if (p.Scopes is not null)
                {
                    writer.WriteStartArray("scopes");
                    foreach (var s in p.Scopes)
                    {
                        writer.WriteStringValue(s);
                    }

                    writer.WriteEndArray();
                }

                break;
            case CredentialSourceKind.AwsProfile:
                Optional(writer, "profile", p.AwsProfile);
                Optional(writer, "awsDir", p.AwsDir);
                Optional(writer, "awsCliPath", p.AwsCliPath);
                break;
            case CredentialSourceKind.Static:
                Optional(writer, "accessKeyId", p.AccessKeyId);
                Optional(writer, "secretAccessKey", p.SecretAccessKey);
                Optional(writer, "sessionToken", p.SessionToken);
                break;
            case CredentialSourceKind.BedrockApiKey:
                Optional(writer, "apiKey", p.ApiKey);
                break;
            case CredentialSourceKind.Gateway:
                Optional(writer, "gatewayUrl", p.GatewayUrl?.OriginalString);
                Optional(writer, "clientId", p.GatewayClientId);
                if (p.Scopes is { Count: > 0 })
                {
                    writer.WriteStartArray("scopes");
                    foreach (var s in p.Scopes)
                    {
                        writer.WriteStringValue(s);
                    }

                    writer.WriteEndArray();
                }

                break;
            case CredentialSourceKind.Oidc:
                if (p.OidcSection is { ValueKind: JsonValueKind.Object } section)
                {
                    foreach (var property in section.EnumerateObject())
                    {
                        if (property.Name != "region" || p.Region is null)
                        {
                            property.WriteTo(writer);
                        }
                    }
                }

                break;
        }

        if (p.Endpoints.SsoOidc is not null || p.Endpoints.Sso is not null || p.Endpoints.Sts is not null)
        {
            writer.WriteStartObject("endpoints");
            Optional(writer, "ssoOidc", p.Endpoints.SsoOidc?.OriginalString);
            Optional(writer, "sso", p.Endpoints.Sso?.OriginalString);
            Optional(writer, "sts", p.Endpoints.Sts?.OriginalString);
            writer.WriteEndObject();
        }

        if (p.Output != CredentialOutputSettings.Default && (p.Output.BedrockToken || p.Output.TokenLifetime != CredentialOutputSettings.MaxTokenLifetime || p.Output.Headers.Count > 0 || p.Output.GatewayId is not null))
        {
            writer.WriteStartObject("output");
            writer.WriteBoolean("bedrockToken", p.Output.BedrockToken);
            writer.WriteString("tokenLifetime", DurationText.Format(p.Output.TokenLifetime));
            Optional(writer, "gatewayId", p.Output.GatewayId);
            if (p.Output.Headers.Count > 0)
            {
                writer.WriteStartObject("headers");
                foreach (var (k, v) in p.Output.Headers)
                {
                    writer.WriteString(k, v);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
