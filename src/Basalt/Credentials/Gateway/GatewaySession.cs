using System.Globalization;
using System.Text.Json;

namespace Basalt.Credentials.Gateway;

/// <summary>
/// What <c>gateway-oauth-token</c> keeps between runs for one profile: the gateway's rotating refresh token and the
/// last access token with its lifetime. Secrets: stored only through the encrypted credential cache (0600). Written
/// with <see cref="Utf8JsonWriter"/> so the NativeAOT helper needs no reflection; <see cref="ToString"/> redacts.
/// </summary>
public sealed record GatewaySession
{
    private const int FormatVersion = 1;

    /// <summary>The gateway (issuer) and client the tokens belong to; a session for another is ignored.</summary>
    public required string Gateway { get; init; }

    public required string ClientId { get; init; }

    public required string RefreshToken { get; init; }

    public required string AccessToken { get; init; }

    public required DateTimeOffset AccessTokenIssuedAt { get; init; }

    public required DateTimeOffset AccessTokenExpiresAt { get; init; }

    public bool BelongsTo(string gateway, string clientId)
        => string.Equals(Gateway, gateway, StringComparison.Ordinal) && string.Equals(ClientId, clientId, StringComparison.Ordinal);

    /// <summary>
    /// Good enough to hand out: more than half its lifetime (and at most 5 minutes) left. Claude Code keeps an
    /// apiKeyHelper result for 5 minutes by default, so a token handed out with more than that left outlives its use.
    /// </summary>
    public bool IsFresh(DateTimeOffset now)
    {
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, (AccessTokenExpiresAt - AccessTokenIssuedAt).Ticks / 2));
        return AccessTokenExpiresAt - now > margin && now >= AccessTokenIssuedAt - TimeSpan.FromMinutes(5);
    }

    public byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteString("gateway", Gateway);
            writer.WriteString("clientId", ClientId);
            writer.WriteString("refreshToken", RefreshToken);
            writer.WriteString("accessToken", AccessToken);
            writer.WriteString("accessTokenIssuedAt", AccessTokenIssuedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("accessTokenExpiresAt", AccessTokenExpiresAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads what <see cref="ToUtf8Json"/> wrote; null for anything else (a damaged entry means "not signed in").</summary>
    public static GatewaySession? FromUtf8Json(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number || v.GetInt32() != FormatVersion
                || String(root, "gateway") is not { } gateway || String(root, "clientId") is not { } clientId || String(root, "refreshToken") is not { } refresh
                || String(root, "accessToken") is not { } access || Time(root, "accessTokenIssuedAt") is not { } issued || Time(root, "accessTokenExpiresAt") is not { } expires)
            {
                return null;
            }

            return new GatewaySession { Gateway = gateway, ClientId = clientId, RefreshToken = refresh, AccessToken = access, AccessTokenIssuedAt = issued, AccessTokenExpiresAt = expires };
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

    public override string ToString() => $"GatewaySession {{ Gateway = {Gateway}, ClientId = {ClientId}, AccessTokenExpiresAt = {AccessTokenExpiresAt:O}, RefreshToken = ***, AccessToken = *** }}";

    private static string? String(JsonElement root, string name)
        => root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s ? s : null;

    private static DateTimeOffset? Time(JsonElement root, string name)
        => String(root, name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;
}
