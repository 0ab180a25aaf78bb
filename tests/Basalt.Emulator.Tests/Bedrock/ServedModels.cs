using Basalt.Bedrock.Models;

namespace Basalt.Emulator.Tests.Bedrock;

/// <summary>What the emulator serves by default, computed from the same catalogue file the emulator reads.</summary>
internal static class ServedModels
{
    public static IReadOnlyList<ModelDefinition> All { get; } = ModelCatalogue.Default.Models.Where(m => m.IsOnBedrock && !m.Retired).ToList();

    /// <summary>System inference profiles offered to a caller in <paramref name="region"/>.</summary>
    public static int SystemProfileCount(string region) => All.Sum(m => m.ProfilePrefixes.Count(p => m.IsOfferedThrough(p, region)));

    public static int Pages(int items, int pageSize) => (items + pageSize - 1) / pageSize;
}
