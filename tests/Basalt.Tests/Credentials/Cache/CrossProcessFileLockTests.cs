using Basalt.Credentials.Cache;
using Basalt.Testing;
using Basalt.Tests.Credentials.Support;

namespace Basalt.Tests.Credentials.Cache;

public sealed class CrossProcessFileLockTests
{
    [Fact]
    public async Task A_lock_held_by_a_killed_process_is_released_by_the_os()
    {
        using var temp = new TempDirectory("lock");
        var path = temp.Combine("profile.lock");
        using var holder = await CredentialsHost.StartAsync("hold-lock", path);
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)));
            Assert.Null(CrossProcessFileLock.TryAcquire(path));
            await Assert.ThrowsAsync<TimeoutException>(() => CrossProcessFileLock.AcquireAsync(path, TimeSpan.FromMilliseconds(300), default));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        using var acquired = await CrossProcessFileLock.AcquireAsync(path, TimeSpan.FromSeconds(10), default);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task A_released_lock_can_be_taken_again_and_holders_exclude_each_other_in_one_process()
    {
        using var temp = new TempDirectory("lock");
        var path = temp.Combine("sub", "x.lock");
        var first = await CrossProcessFileLock.AcquireAsync(path, TimeSpan.FromSeconds(5), default);
        Assert.Null(CrossProcessFileLock.TryAcquire(path));
        var waiter = CrossProcessFileLock.AcquireAsync(path, TimeSpan.FromSeconds(10), default);
        await Task.Delay(100);
        Assert.False(waiter.IsCompleted);
        first.Dispose();
        using var second = await waiter;
        Assert.NotNull(second);
    }
}
