using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Aws;
using Basalt.IO;

namespace Basalt.Credentials.Cache;

/// <summary>
/// Temporary AWS credentials cached per profile, encrypted at rest with AES-256-GCM under a key from the OS secret
/// store (<see cref="CacheKeyStore"/>). Each file is <c>"BSLC" | version | nonce(12) | tag(16) | ciphertext</c>, with the
/// cache key as associated data so a file renamed to another profile does not decrypt. Files are 0600 and written
/// atomically; a file that is corrupt, half-written, from another key, or unreadable is discarded with a warning and
/// the caller signs in again.
/// </summary>
public sealed class CredentialCache
{
    private static readonly byte[] Magic = "BSLC"u8.ToArray();
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 4 + 1 + NonceSize + TagSize;

    private readonly Lazy<byte[]> _key;

    public CredentialCache(string directory, CredentialEnvironment environment, TextWriter? log = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(environment);
        Directory = directory;
        KeyStore = CacheKeyStore.Select(environment, directory);
        _key = new Lazy<byte[]>(() => KeyStore.GetOrCreateKey(log ?? TextWriter.Null));
    }

    public string Directory { get; }

    /// <summary>Which secret store holds the key: keychain, dpapi, secret-service or key-file.</summary>
    public string KeyStoreName => KeyStore.Name;

    internal CacheKeyStore KeyStore { get; }

    /// <summary>
    /// The default folder: <c>%LOCALAPPDATA%\Basalt\credentials</c> on Windows, <c>~/Library/Caches/Basalt/credentials</c>
    /// on macOS, <c>$XDG_CACHE_HOME/basalt/credentials</c> (default <c>~/.cache</c>) elsewhere.
    /// </summary>
    public static string DefaultDirectory(CredentialEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (OperatingSystem.IsWindows())
        {
            var local = environment.Get("LOCALAPPDATA") ?? Path.Combine(environment.HomeDirectory, "AppData", "Local");
            return Path.Combine(local, "Basalt", "credentials");
        }

        if (OperatingSystem.IsMacOS())
        {
            return Path.Combine(environment.HomeDirectory, "Library", "Caches", "Basalt", "credentials");
        }

        var xdg = environment.Get("XDG_CACHE_HOME") ?? Path.Combine(environment.HomeDirectory, ".cache");
        return Path.Combine(xdg, "basalt", "credentials");
    }

    /// <summary>The cache file for a key: readable characters kept, plus a hash so distinct keys never collide.</summary>
    public string PathFor(string cacheKey) => Path.Combine(Directory, FileStem(cacheKey) + ".cache");

    /// <summary>The lock file guarding sign-in for a key.</summary>
    public string LockPathFor(string cacheKey) => Path.Combine(Directory, FileStem(cacheKey) + ".lock");

    public CachedCredentials? TryRead(string cacheKey, TextWriter log)
    {
        var plaintext = TryReadBytes(cacheKey, log);
        if (plaintext is null)
        {
            return null;
        }

        try
        {
            var entry = Deserialize(plaintext);
            if (entry is null)
            {
                log.WriteLine($"warning: discarded the credential cache {PathFor(cacheKey)}: it decrypts but holds no credentials.");
                Remove(cacheKey);
            }

            return entry;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    public void Write(string cacheKey, CachedCredentials entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var plaintext = Serialize(entry);
        try
        {
            WriteBytes(cacheKey, plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Decrypts any secret stored under <paramref name="cacheKey"/> (e.g. an OIDC session); null when absent. A
    /// damaged or foreign file is deleted with a warning.
    /// </summary>
    public byte[]? TryReadBytes(string cacheKey, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var path = PathFor(cacheKey);
        byte[] data;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            data = File.ReadAllBytes(path);
            // The cache is encrypted, but a file others can read (or replace) was not written by this helper
            // (it writes 0600); say so instead of using it silently (issue 14).
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                log.WriteLine($"warning: the credential cache {path} is readable or writable by other users (expected mode 0600); it was not written by this helper, so it is ignored and you will sign in again.");
                TryDelete(path);
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"warning: cannot read the credential cache {path} ({e.Message}); signing in again.");
            return null;
        }

        var plaintext = Decrypt(cacheKey, data);
        if (plaintext is null)
        {
            log.WriteLine($"warning: discarded the credential cache {path}: it is corrupt, incomplete, or was written with another key.");
            TryDelete(path);
        }

        return plaintext;
    }

    /// <summary>Encrypts and stores <paramref name="plaintext"/> under <paramref name="cacheKey"/> (0600, atomic).</summary>
    public void WriteBytes(string cacheKey, ReadOnlySpan<byte> plaintext)
    {
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.WriteAllBytes(PathFor(cacheKey), Encrypt(cacheKey, plaintext), secret: true);
    }

    public void Remove(string cacheKey) => TryDelete(PathFor(cacheKey));

    internal byte[] Encrypt(string cacheKey, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[HeaderSize + plaintext.Length];
        Magic.CopyTo(output, 0);
        output[4] = FormatVersion;
        var nonce = output.AsSpan(5, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Value, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(HeaderSize), output.AsSpan(5 + NonceSize, TagSize), Encoding.UTF8.GetBytes(cacheKey));
        return output;
    }

    internal byte[]? Decrypt(string cacheKey, byte[] data)
    {
        if (data.Length <= HeaderSize || !data.AsSpan(0, 4).SequenceEqual(Magic) || data[4] != FormatVersion)
        {
            return null;
        }

        var plaintext = new byte[data.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(_key.Value, TagSize);
            aes.Decrypt(data.AsSpan(5, NonceSize), data.AsSpan(HeaderSize), data.AsSpan(5 + NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(cacheKey));
            return plaintext;
        }
        catch (CryptographicException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return null;
        }
    }

    private static byte[] Serialize(CachedCredentials entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("accessKeyId", entry.Credentials.AccessKeyId);
            writer.WriteString("secretAccessKey", entry.Credentials.SecretAccessKey);
            if (entry.Credentials.SessionToken is { } token)
            {
                writer.WriteString("sessionToken", token);
            }

            if (entry.Credentials.Expiration is { } expiration)
            {
                writer.WriteNumber("expiration", expiration.ToUnixTimeMilliseconds());
            }

            writer.WriteNumber("obtainedAt", entry.ObtainedAt.ToUnixTimeMilliseconds());
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static CachedCredentials? Deserialize(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (!root.TryGetProperty("accessKeyId", out var id) || id.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("secretAccessKey", out var secret) || secret.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("obtainedAt", out var obtained) || !obtained.TryGetInt64(out var obtainedMs))
            {
                return null;
            }

            var token = root.TryGetProperty("sessionToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            DateTimeOffset? expiration = root.TryGetProperty("expiration", out var e) && e.TryGetInt64(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            return new CachedCredentials(new AwsCredentials(id.GetString()!, secret.GetString()!, token, expiration), DateTimeOffset.FromUnixTimeMilliseconds(obtainedMs));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string FileStem(string cacheKey)
    {
        var safe = new StringBuilder(cacheKey.Length);
        foreach (var c in cacheKey)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        if (safe.Length > 64)
        {
            safe.Length = 64;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(cacheKey));
        return $"{safe}-{BinaryPrimitives.ReadUInt32BigEndian(hash):x8}";
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
