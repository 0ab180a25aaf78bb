namespace Basalt.Usage.Stores;

/// <summary>
/// Where a usage store is, as the CLI takes it: <c>sqlite:PATH</c> or <c>postgresql:CONNECTION-STRING</c>
/// (from <c>--store</c> or <c>BASALT_USAGE_STORE</c>; the connection string may hold a password, so prefer the
/// environment variable). A bare path means SQLite.
/// </summary>
public sealed record UsageStoreLocation(string Kind, string Target)
{
    public const string EnvironmentVariable = "BASALT_USAGE_STORE";

    public static UsageStoreLocation Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 1)
        {
            var kind = text[..colon].ToLowerInvariant();
            if (kind is "sqlite" or "postgresql" or "postgres")
            {
                var target = text[(colon + 1)..];
                if (target.Length == 0)
                {
                    throw new ArgumentException($"usage store '{kind}:' has no {(kind == "sqlite" ? "file path" : "connection string")} after the colon, e.g. sqlite:/var/lib/basalt/usage.db or postgresql:Host=db;Username=basalt");
                }

                return new UsageStoreLocation(kind == "postgres" ? "postgresql" : kind, target);
            }
        }

        return new UsageStoreLocation("sqlite", text);
    }

    /// <summary>Display form that never shows a connection string (it may hold a password).</summary>
    public override string ToString() => Kind == "sqlite" ? $"sqlite:{Target}" : "postgresql:(connection string)";
}
