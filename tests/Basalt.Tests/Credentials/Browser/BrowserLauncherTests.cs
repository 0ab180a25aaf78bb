using Basalt.Credentials.Browser;

namespace Basalt.Tests.Credentials.Browser;

public sealed class BrowserLauncherTests
{
    [Fact]
    public void Browser_command_is_split_like_a_shell_would()
    {
        Assert.Equal(["/usr/bin/node", "/path with space/b.mjs", "--login", "alice"], BrowserLauncher.SplitCommandLine("\"/usr/bin/node\" '/path with space/b.mjs'  --login alice"));
    }

    [Fact]
    public async Task Browser_variable_runs_the_command_with_the_url()
    {
        using var dir = new Basalt.Testing.TempDirectory("browser");
        var output = dir.Combine("opened.txt");
        var env = new Dictionary<string, string?> { ["BROWSER"] = $"/nonexistent/browser:/bin/sh -c 'echo \"$0\" > {output}' %s" };
        var url = new Uri("https://idp.example.com/auth?x=1&y=2");

        Assert.True(new BrowserLauncher(k => env.GetValueOrDefault(k)).TryOpen(url));

        for (var i = 0; i < 100 && !(File.Exists(output) && File.ReadAllText(output).Length > 0); i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(url.AbsoluteUri, File.ReadAllText(output).TrimEnd('\n'));
    }

    [Fact]
    public void Browser_variable_with_only_missing_commands_reports_failure()
    {
        var env = new Dictionary<string, string?> { ["BROWSER"] = "/nonexistent/browser-a:/nonexistent/browser-b" };

        Assert.False(new BrowserLauncher(k => env.GetValueOrDefault(k)).TryOpen(new Uri("https://idp.example.com/")));
    }
}
