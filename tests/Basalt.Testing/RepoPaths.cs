namespace Basalt.Testing;

/// <summary>Well-known folders of the repository, found by walking up to <c>Basalt.sln</c>.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Basalt.sln")))
        {
            dir = dir.Parent;
        }

        // Outputs may live outside the tree (BASALT_ARTIFACTS); fall back to the working directory.
        if (dir is null)
        {
            dir = new DirectoryInfo(Environment.CurrentDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Basalt.sln")))
            {
                dir = dir.Parent;
            }
        }

        return dir?.FullName ?? Environment.GetEnvironmentVariable("BASALT_REPO") ?? BuildTimeRoot()
            ?? throw new InvalidOperationException("cannot find the repository root (Basalt.sln); set BASALT_REPO");
    });

    public static string Root => RootPath.Value;

    private static string? BuildTimeRoot()
    {
        var root = typeof(RepoPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BasaltRepoRoot")?.Value;
        return root is not null && File.Exists(Path.Combine(root, "Basalt.sln")) ? root : null;
    }

    public static string Examples => Path.Combine(Root, "examples");

    public static string Interop => Path.Combine(Root, "tests", "interop");

    /// <summary>
    /// Third-party test data kept in the repository (tests/testdata), each folder with its licence, so a clone of
    /// the repository alone runs every test.
    /// </summary>
    public static string TestData => Path.Combine(Root, "tests", "testdata");
}
