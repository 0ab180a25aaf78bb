using System.Diagnostics;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.CredentialHelper;

/// <summary>
/// The enterprise IdP for OIDC federation runs: <c>tests/interop/oidc/idp.mjs</c> (the certified oidc-provider),
/// with its public native client <c>basalt-native</c>, plus <c>browser.mjs</c> standing in for the user's browser.
/// Every secret the IdP hands out is recorded so tests can prove none reaches the helper's stderr.
/// </summary>
internal sealed class OidcIdp : IAsyncDisposable
{
    public const string ClientId = "basalt-native";

    private readonly Process _process;
    private readonly TempDirectory _directory;

    private OidcIdp(Process process, TempDirectory directory, string issuer)
    {
        _process = process;
        _directory = directory;
        Issuer = issuer;
    }

    public string Issuer { get; }

    /// <summary>The browser stand-in as a <c>$BROWSER</c> value, signing in as <paramref name="login"/>.</summary>
    public static string BrowserCommand(string login = "alice")
        => $"\"{ExternalTools.Node()}\" \"{Path.Combine(RepoPaths.Interop, "oidc", "browser.mjs")}\" --login {login}";

    public static async Task<OidcIdp> StartAsync()
    {
        var modules = Path.Combine(RepoPaths.Interop, "node_modules", "oidc-provider");
        if (!Directory.Exists(modules))
        {
            throw new InvalidOperationException($"{modules} is missing. Run: npm ci --prefix tests/interop (scripts/test.sh does this)");
        }

        var directory = new TempDirectory("oidc-idp");
        var info = new ProcessStartInfo(ExternalTools.Node())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Interop,
        };
        foreach (var a in new[] { Path.Combine(RepoPaths.Interop, "oidc", "idp.mjs"), "--port", "0", "--record", directory.Combine("secrets.txt") })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var line = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(line, Task.Delay(TimeSpan.FromSeconds(30))) != line || await line is not { } issuer || !issuer.StartsWith("http://", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            directory.Dispose();
            throw new InvalidOperationException($"idp.mjs did not start: {(process.HasExited ? await stderr : "(timed out)")}");
        }

        return new OidcIdp(process, directory, issuer);
    }

    /// <summary>Every secret the IdP handed out or received so far (codes, verifiers, tokens).</summary>
    public IReadOnlyList<string> RecordedSecrets()
    {
        var file = _directory.Combine("secrets.txt");
        return File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length >= 8).Distinct().ToList() : [];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(3000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _directory.Dispose();
        await Task.CompletedTask;
    }
}
