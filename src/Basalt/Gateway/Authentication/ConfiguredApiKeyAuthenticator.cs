using System.Security.Cryptography;
using System.Text;
using Basalt.Gateway.Configuration;
using Basalt.Identity;

namespace Basalt.Gateway.Authentication;

/// <summary>
/// The gateway's configured API keys (issue 8 item 7): only SHA-256 hashes are held, a presented key is hashed
/// once and compared with every configured hash in constant time (no early exit, so timing says nothing about
/// which key or how much matched). A match yields the key's bound user and groups. Claude Code's
/// <c>apiKeyHelper</c> sends the key as both bearer and <c>x-api-key</c> (gateway.md §1.3); either is accepted.
/// An unknown key is <see cref="AuthenticationOutcome.NotRecognised"/>, so later authenticators (OIDC, managed
/// keys) get their turn.
/// </summary>
public sealed class ConfiguredApiKeyAuthenticator : IRequestAuthenticator
{
    private volatile IReadOnlyList<GatewayApiKey> _keys;

    public ConfiguredApiKeyAuthenticator(IReadOnlyList<GatewayApiKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    /// <summary>Swaps in the keys of a reloaded configuration; requests already authenticated keep their principal.</summary>
    public void Replace(IReadOnlyList<GatewayApiKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    public ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var match = Find(request.BearerToken) ?? Find(request.ApiKey);
        if (match is null)
        {
            return ValueTask.FromResult(AuthenticationResult.NotRecognised);
        }

        var principal = new Principal(match.UserId, match.DisplayName ?? match.UserId, match.Email, match.Groups, AuthenticationMethod.ConfiguredApiKey, match.Id, match.CostCentre);
        return ValueTask.FromResult(AuthenticationResult.Success(principal));
    }

    private GatewayApiKey? Find(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 4096)
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(presented);
        SHA256.HashData(bytes, hash);
        CryptographicOperations.ZeroMemory(bytes);
        GatewayApiKey? found = null;
        foreach (var key in _keys)
        {
            // Every key is compared, whatever matched before.
            if (CryptographicOperations.FixedTimeEquals(hash, key.Sha256))
            {
                found ??= key;
            }
        }

        return found;
    }
}
