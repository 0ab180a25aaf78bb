namespace Basalt.Aws;

/// <summary>
/// The parts of a short-term Bedrock API key. <see cref="SignedQuery"/> is the presigned query exactly as signed
/// (without <c>&amp;Version=</c>). <see cref="ToString"/> leaves out the session token and the query.
/// </summary>
public sealed record DecodedBedrockApiKey(
    string Host,
    string SignedQuery,
    int Version,
    string AccessKeyId,
    string Region,
    string Service,
    DateTimeOffset SignedAt,
    TimeSpan Lifetime,
    string? SessionToken,
    string SignedHeaders)
{
    public DateTimeOffset ExpiresAt => SignedAt + Lifetime;

    public bool IsExpired(DateTimeOffset now) => now > ExpiresAt;

    public override string ToString()
        => $"DecodedBedrockApiKey {{ Host = {Host}, AccessKeyId = {AccessKeyId}, Region = {Region}, SignedAt = {SignedAt:O}, ExpiresAt = {ExpiresAt:O}, Version = {Version}, SessionToken = {(SessionToken is null ? "none" : "***")} }}";
}
