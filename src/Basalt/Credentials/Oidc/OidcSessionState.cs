using System.Globalization;
using System.Text.Json;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// What the OIDC source keeps between runs: the refresh token (the silent path, cowork3p-reference §3.3) and the
/// last verified ID token with its expiry (reused while valid, which matters for IdPs whose refresh returns no new
/// ID token). It holds secrets: store it only through the encrypted credential cache. Serialized with
/// <see cref="Utf8JsonWriter"/> so the NativeAOT helper needs no reflection; <see cref="ToString"/> redacts.
/// </summary>
public sealed record OidcSessionState
{
    private const int FormatVersion = 1;

    /// <summary>The issuer and client the tokens belong to; state for another issuer or client is ignored.</summary>
    public required string Issuer { get; init; }

    public required string ClientId { get; init; }

    public string? RefreshToken { get; init; }

    public string? IdToken { get; init; }

    public DateTimeOffset? IdTokenExpiresAt { get; init; }

    /// <summary>The signed-in user's <c>sub</c> (not secret; shown by <c>--explain</c>).</summary>
    public string? Subject { get; init; }

    /// <summary>The user's email claim, kept so the STS role session name stays the same for a cached ID token.</summary>
    public string? Email { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public bool BelongsTo(string issuer, string clientId)
        => string.Equals(Issuer, issuer, StringComparison.Ordinal) && string.Equals(ClientId, clientId, StringComparison.Ordinal);

    public byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteString("issuer", Issuer);
            writer.WriteString("clientId", ClientId);
            WriteOptional(writer, "refreshToken", RefreshToken);
            WriteOptional(writer, "idToken", IdToken);
            WriteOptional(writer, "idTokenExpiresAt", IdTokenExpiresAt?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            WriteOptional(writer, "subject", Subject);
            WriteOptional(writer, "email", Email);
            writer.WriteString("updatedAt", UpdatedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads what <see cref="ToUtf8Json"/> wrote; null for anything else (a damaged or foreign cache entry means "not signed in").</summary>
    public static OidcSessionState? FromUtf8Json(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != FormatVersion
                || String(root, "issuer") is not { } issuer || String(root, "clientId") is not { } clientId)
            {
                return null;
            }

            return new OidcSessionState
            {
                Issuer = issuer,
                ClientId = clientId,
                RefreshToken = String(root, "refreshToken"),
                IdToken = String(root, "idToken"),
                IdTokenExpiresAt = Time(root, "idTokenExpiresAt"),
                Subject = String(root, "subject"),
                Email = String(root, "email"),
                UpdatedAt = Time(root, "updatedAt") ?? DateTimeOffset.UnixEpoch,
            };
        }
        catch (JsonException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public override string ToString()
        => $"OidcSessionState {{ Issuer = {Issuer}, ClientId = {ClientId}, Subject = {Subject}, RefreshToken = {(RefreshToken is null ? "none" : "***")}, IdToken = {(IdToken is null ? "none" : "***")}, IdTokenExpiresAt = {IdTokenExpiresAt:O} }}";

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string? String(JsonElement root, string name)
        => root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static DateTimeOffset? Time(JsonElement root, string name)
        => String(root, name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;
}
