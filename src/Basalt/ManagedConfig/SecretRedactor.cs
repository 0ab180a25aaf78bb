using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Basalt.ManagedConfig;

/// <summary>
/// Hides credentials before a value leaves the validator (reports, diffs, logs). Secret keys are replaced by
/// <c>***(N chars)</c>; unknown keys whose name looks like a secret (a misspelled bearer token is still a bearer
/// token) too; inside JSON documents, values of credential-like fields and of MCP <c>headers</c>/<c>env</c> maps;
/// and the <c>user:password@</c> part of URLs.
/// </summary>
public static partial class SecretRedactor
{
    public static string Mask(string value) => $"***({value.Length} chars)";

    /// <summary>True when the app treats <paramref name="key"/> as a credential, or it looks like one.</summary>
    public static bool IsSecretKey(string key)
    {
        if (KeyCatalogue.Find(key) is { } def)
        {
            return def.IsSecret;
        }

        return SecretName().IsMatch(key) || (KeySuggester.Suggest(key) is { } near && KeyCatalogue.Find(near)!.IsSecret);
    }

    /// <summary>
    /// True when <paramref name="value"/> under <paramref name="key"/> holds a secret by any of the redactor's
    /// rules (secret or look-alike key, credential-shaped value, URL user-info, secret fields inside JSON). The
    /// one notion of "secret": it decides console redaction and which written files are 0600 (export, generate).
    /// </summary>
    public static bool IsSecret(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return IsSecretKey(key) || !string.Equals(Redact(key, value), value, StringComparison.Ordinal);
    }

    public static string? Redact(string key, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (IsSecretKey(key))
        {
            return Mask(value);
        }

        var trimmed = value.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                using var doc = JsonDocument.Parse(value);
                return RedactJson(doc.RootElement);
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to the URL check, and mask credential-looking substrings.
                return LooksLikeCredential(value) ? Mask(value) : value;
            }
        }

        return RedactUrl(value);
    }

    /// <summary>Replaces the user info of an absolute URL with <c>***</c>.</summary>
    public static string RedactUrl(string value)
    {
        if (value.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            var at = value.IndexOf('@', StringComparison.Ordinal);
            var start = value.IndexOf("://", StringComparison.Ordinal) + 3;
            if (at > start)
            {
                return string.Concat(value.AsSpan(0, start), "***", value.AsSpan(at));
            }
        }

        return value;
    }

    private static string RedactJson(JsonElement root)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, root, maskAll: false);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonElement e, bool maskAll)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var p in e.EnumerateObject())
                {
                    writer.WritePropertyName(p.Name);
                    var secretField = SecretName().IsMatch(p.Name) && !NonSecretField().IsMatch(p.Name);
                    // MCP "headers" and "env" maps carry tokens by design; mask every value in them.
                    var mapOfSecrets = p.Name is "headers" or "env";
                    if (secretField && p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    {
                        writer.WriteStringValue(Mask(p.Value.ToString()));
                    }
                    else
                    {
                        Write(writer, p.Value, maskAll || mapOfSecrets);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in e.EnumerateArray())
                {
                    Write(writer, item, maskAll);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String when maskAll || LooksLikeCredential(e.GetString()!):
                writer.WriteStringValue(Mask(e.GetString()!));
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(RedactUrl(e.GetString()!));
                break;
            default:
                e.WriteTo(writer);
                break;
        }
    }

    /// <summary>Values that are credentials whatever field holds them: bearer headers and well-known key prefixes.</summary>
    private static bool LooksLikeCredential(string value) => CredentialValue().IsMatch(value);

    [GeneratedRegex("(?i)(secret|token|password|passwd|apikey|api-key|api_key|authorization|cookie|credential|private)", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    // Field names that mention a secret but hold none (helper paths, token types, TTLs).
    [GeneratedRegex("(?i)(helper|type|ttl|url|uri|endpoint|sec$|buffer|kind|scheme|enabled)", RegexOptions.CultureInvariant)]
    private static partial Regex NonSecretField();

    [GeneratedRegex(@"(?i)^(bearer\s+\S+|basic\s+\S+|sk-ant-\S+|sk-\S{16,}|ABSK\S+|bedrock-api-key-\S+|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|eyJ[\w-]+\.[\w-]+\.[\w-]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex CredentialValue();
}
