using Basalt.Credentials.Oidc;

namespace Basalt.Tests.Credentials.Oidc.Support;

/// <summary>
/// A session store that keeps the serialized state in memory, round-tripping it through the same JSON the
/// encrypted credential cache stores, so serialization is exercised on every save and load.
/// </summary>
public sealed class MemorySessionStore : IOidcSessionStore
{
    private byte[]? _json;

    public int Saves { get; private set; }

    public OidcSessionState? Current => _json is null ? null : OidcSessionState.FromUtf8Json(_json);

    public ValueTask<OidcSessionState?> LoadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Current);

    public ValueTask SaveAsync(OidcSessionState state, CancellationToken cancellationToken)
    {
        _json = state.ToUtf8Json();
        Saves++;
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        _json = null;
        return ValueTask.CompletedTask;
    }

    public void Set(OidcSessionState state) => _json = state.ToUtf8Json();
}
