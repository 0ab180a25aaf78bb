using Basalt.IO;
using Basalt.Testing;

namespace Basalt.Tests.IO;

public sealed class AtomicFileTests
{
    [Fact]
    public async Task Secret_file_is_created_owner_only_and_leaves_no_temp_files()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("sub", "secret.json");
        await AtomicFile.WriteAllTextAsync(path, "{\"k\":1}", secret: true);
        Assert.Equal("{\"k\":1}", await File.ReadAllTextAsync(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(path));
        }

        Assert.Single(Directory.GetFiles(dir.Combine("sub")));
    }

    [Fact]
    public async Task Cancelled_write_keeps_the_old_content()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("a.txt", "old");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAllTextAsync(path, "new", cancellationToken: cts.Token));
        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
