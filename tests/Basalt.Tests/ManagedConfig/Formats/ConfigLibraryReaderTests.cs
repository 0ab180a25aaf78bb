using Basalt.ManagedConfig.Formats;
using Basalt.Testing;

namespace Basalt.Tests.ManagedConfig.Formats;

public sealed class ConfigLibraryReaderTests
{
    [Fact]
    public void Only_the_applied_entry_is_read_with_its_id_as_scope()
    {
        using var dir = new TempDirectory("h2-cl");
        dir.Write("_meta.json", """{"appliedId":"b2","entries":[{"id":"a1","name":"Old"},{"id":"b2","name":"New"}]}""");
        dir.Write("a1.json", """{"inferenceProvider":"vertex"}""");
        var entry = dir.Write("b2.json", "{\n  \"inferenceProvider\": \"bedrock\"\n}");
        dir.Write("zz.json", "{}");

        var read = ManagedConfigReader.ReadFile(dir.Path);
        var e = Assert.Single(read.Entries);
        Assert.Equal(("inferenceProvider", "bedrock", "b2 (applied)", entry, 2), (e.Key, e.Value, e.Location.Scope, e.Location.File, e.Location.Line));
        Assert.Equal(FormatDiagnosticCodes.LibraryUnlistedEntry, Assert.Single(read.ParseDiagnostics).Code);

        var all = ManagedConfigReader.ReadConfigLibrary(dir.Path, includeUnapplied: true);
        Assert.Equal(["b2 (applied)", "a1 (not applied)"], all.Entries.Select(x => x.Location.Scope));
    }

    [Fact]
    public void The_parent_folder_and_the_meta_file_lead_to_the_library()
    {
        using var dir = new TempDirectory("h2-cl2");
        dir.Write("configLibrary/_meta.json", """{"appliedId":"x","entries":[{"id":"x"}]}""");
        dir.Write("configLibrary/x.json", """{"a":"b"}""");
        Assert.Single(ManagedConfigReader.ReadFile(dir.Path).Entries);
        Assert.Single(ManagedConfigReader.ReadFile(dir.Combine("configLibrary", "_meta.json")).Entries);
    }

    [Fact]
    public void Legacy_claude_desktop_config_is_read_from_its_folder()
    {
        using var dir = new TempDirectory("h2-legacy");
        dir.Write("claude_desktop_config.json", """{"enterpriseConfig":{"inferenceProvider":"gateway"},"mcpServers":{}}""");
        var e = Assert.Single(ManagedConfigReader.ReadFile(dir.Path).Entries);
        Assert.Equal(("inferenceProvider", "enterpriseConfig"), (e.Key, e.Location.Scope));
    }

    [Theory]
    [InlineData("""{"appliedId":"missing","entries":[{"id":"missing"}]}""", FormatDiagnosticCodes.LibraryEntryMissing)]
    [InlineData("""{"appliedId":null,"entries":[]}""", FormatDiagnosticCodes.LibraryNothingApplied)]
    [InlineData("""{"appliedId":"../../etc/passwd","entries":[]}""", FormatDiagnosticCodes.LibraryMeta)]
    [InlineData("""{"appliedId":"x",""", FormatDiagnosticCodes.LibraryMeta)]
    public void Broken_meta_files_are_diagnosed(string meta, string code)
    {
        using var dir = new TempDirectory("h2-cl3");
        dir.Write("_meta.json", meta);
        var read = ManagedConfigReader.ReadFile(dir.Path);
        Assert.Empty(read.Entries);
        Assert.Contains(read.ParseDiagnostics, d => d.Code == code);
    }

    [Fact]
    public void A_folder_that_is_no_library_is_diagnosed()
    {
        using var dir = new TempDirectory("h2-cl4");
        Assert.Equal(FormatDiagnosticCodes.LibraryMeta, Assert.Single(ManagedConfigReader.ReadFile(dir.Path).ParseDiagnostics).Code);
    }
}
