namespace Basalt.Usage.Stores;

/// <summary>Opens the configured usage store: <c>sqlite</c> with a file path, or <c>postgresql</c> with an Npgsql connection string.</summary>
public static class UsageStoreFactory
{
    public static IUsageStore Open(string kind, string target) => kind.ToLowerInvariant() switch
    {
        "sqlite" => new SqliteUsageStore(target),
        "postgresql" or "postgres" => new PostgresUsageStore(target),
        _ => throw new ArgumentException($"usage store kind '{kind}' is not known: expected 'sqlite' (with a file path) or 'postgresql' (with a connection string)", nameof(kind)),
    };

    /// <summary>Opens and migrates (issue 10 item 4: migrations run at start, or by <c>basalt gateway migrate</c>).</summary>
    public static async Task<IUsageStore> OpenAndMigrateAsync(string kind, string target, CancellationToken cancellationToken)
    {
        var store = Open(kind, target);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
