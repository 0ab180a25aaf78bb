using Basalt.Testing;
using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage;

/// <summary>Opens a fresh, migrated store of either kind: a SQLite file in a temp folder, or a new database in the test PostgreSQL cluster.</summary>
internal static class UsageStoreFixture
{
    public static async Task<(IUsageStore Store, IDisposable Cleanup)> OpenAsync(string kind)
    {
        var temp = new TempDirectory("usage");
        var target = kind == "sqlite" ? temp.Combine("usage.db") : await PostgresCluster.CreateDatabaseAsync("usage");
        var store = await UsageStoreFactory.OpenAndMigrateAsync(kind, target, CancellationToken.None);
        return (store, temp);
    }
}
