using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Credentials.Profiles;
using Basalt.IO;

namespace Basalt.Credentials.IdentityCenter;

/// <summary>
/// The AWS CLI v2's IAM Identity Center cache, shared with <c>aws</c> so that one sign-in serves both
/// (bedrock-and-clients §4, botocore <c>SSOTokenLoader</c>/<c>SSOTokenFetcher</c>):
/// <list type="bullet">
/// <item>token: <c>~/.aws/sso/cache/sha1(sso-session name, or start URL for legacy profiles).json</c> with
/// <c>startUrl, region, accessToken, expiresAt, clientId, clientSecret, registrationExpiresAt, refreshToken</c>;</item>
/// <item>client registration: <c>sha1(json.dumps({"region","scopes","session_name","startUrl","tool":"botocore"},
/// sort_keys=True)).json</c> with <c>clientId, clientSecret, expiresAt, scopes</c>.</item>
/// </list>
/// Times are written as the CLI writes them (<c>%Y-%m-%dT%H:%M:%SZ</c>); files are 0600 as the CLI makes them, and
/// written atomically so a concurrent <c>aws</c> never reads half a file. An unreadable file is treated as absent,
/// which is also what the CLI does.
/// </summary>
internal sealed class SsoTokenCache(string directory)
{
    public string Directory { get; } = directory;

    public static string DefaultDirectory(CredentialEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Path.Combine(environment.HomeDirectory, ".aws", "sso", "cache");
    }

    /// <summary>The token file key: SHA-1 hex of the sso-session name, or of the start URL for legacy profiles.</summary>
    public static string TokenKey(string startUrl, string? sessionName)
        => Sha1Hex(sessionName ?? startUrl);

    /// <summary>The registration file key the AWS CLI uses (<c>SSOTokenFetcher._registration_cache_key</c>).</summary>
    public static string RegistrationKey(string startUrl, string region, string? sessionName, IReadOnlyList<string>? scopes)
    {
        // sort_keys=True orders: region, scopes, session_name, startUrl, tool.
        var json = new PythonJson().BeginObject()
            .Property("region", region)
            .Property("scopes", scopes)
            .Property("session_name", sessionName)
            .Property("startUrl", startUrl)
            .Property("tool", "botocore")
            .EndObject()
            .ToString();
        return Sha1Hex(json);
    }

    public string PathFor(string key) => Path.Combine(Directory, key + ".json");

    public SsoToken? ReadToken(string key, TextWriter log)
    {
        using var document = ReadJson(key, log);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var accessToken = Str(root, "accessToken");
        var expiresAt = Time(root, "expiresAt");
        if (accessToken is null || expiresAt is null)
        {
            // botocore: 'Token for ... is invalid' when either is missing.
            return null;
        }

        return new SsoToken(
            Str(root, "startUrl") ?? string.Empty,
            Str(root, "region") ?? string.Empty,
            accessToken,
            expiresAt.Value,
            Str(root, "clientId"),
            Str(root, "clientSecret"),
            Time(root, "registrationExpiresAt"),
            Str(root, "refreshToken"));
    }

    public void WriteToken(string key, SsoToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var json = new PythonJson().BeginObject()
            .Property("startUrl", token.StartUrl)
            .Property("region", token.Region)
            .Property("accessToken", token.AccessToken)
            .Property("expiresAt", Format(token.ExpiresAt));
        if (token.ClientId is not null)
        {
            json.Property("clientId", token.ClientId)
                .Property("clientSecret", token.ClientSecret)
                .Property("registrationExpiresAt", token.RegistrationExpiresAt is { } r ? Format(r) : null);
        }

        if (token.RefreshToken is not null)
        {
            json.Property("refreshToken", token.RefreshToken);
        }

        Write(key, json.EndObject().ToString());
    }

    public void DeleteToken(string key)
    {
        try
        {
            File.Delete(PathFor(key));
        }
        catch (IOException)
        {
        }
    }

    public SsoClientRegistration? ReadRegistration(string key, TextWriter log)
    {
        using var document = ReadJson(key, log);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var id = Str(root, "clientId");
        var secret = Str(root, "clientSecret");
        var expires = Time(root, "expiresAt");
        if (id is null || secret is null || expires is null)
        {
            return null;
        }

        List<string>? scopes = null;
        if (root.TryGetProperty("scopes", out var s) && s.ValueKind == JsonValueKind.Array)
        {
            scopes = [.. s.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
        }

        return new SsoClientRegistration(id, secret, expires.Value, scopes);
    }

    public void WriteRegistration(string key, SsoClientRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var json = new PythonJson().BeginObject()
            .Property("clientId", registration.ClientId)
            .Property("clientSecret", registration.ClientSecret)
            .Property("expiresAt", Format(registration.ExpiresAt));
        if (registration.Scopes is { Count: > 0 })
        {
            json.Property("scopes", registration.Scopes);
        }

        Write(key, json.EndObject().ToString());
    }

    internal static string Format(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private void Write(string key, string json)
    {
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.WriteAllBytes(PathFor(key), Encoding.UTF8.GetBytes(json), secret: true);
    }

    private JsonDocument? ReadJson(string key, TextWriter log)
    {
        var path = PathFor(key);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
        }

        log.WriteLine($"warning: ignoring unreadable IAM Identity Center cache file {path}; you may have to sign in again.");
        return null;
    }

    private static string? Str(JsonElement root, string name)
        => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Time(JsonElement root, string name)
        => Str(root, name) is { } s ? CredentialProcess.ParseTimestamp(s) : null;

    private static string Sha1Hex(string value)
    {
#pragma warning disable CA5350 // SHA-1 is not used for security here: it is the AWS CLI's cache file naming scheme.
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(value));
#pragma warning restore CA5350
        return Convert.ToHexStringLower(hash);
    }
}
