namespace Basalt.Gateway.Configuration;

/// <summary>
/// A configured API key, bound to a user and groups. Only the SHA-256 of the key is kept (hashed at rest);
/// <see cref="Id"/> is the non-secret name that appears in logs and usage.
/// </summary>
public sealed record GatewayApiKey(string Id, string UserId, string? DisplayName, string? Email, IReadOnlyList<string> Groups, string? CostCentre, byte[] Sha256)
{
    public override string ToString() => $"GatewayApiKey {{ Id = {Id}, UserId = {UserId} }}";
}
