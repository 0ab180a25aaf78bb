using System.Diagnostics;

namespace Basalt.Testing;

/// <summary>
/// The enterprise IdP peer: <c>tests/interop/oidc/idp.mjs</c> (oidc-provider v9) in a child process on an
/// ephemeral loopback port. It records every secret it issues or receives into <see cref="SecretsFile"/>, so tests
/// can prove none of them reaches Basalt's log. Shared by the library's OIDC tests and the native helper's
/// end-to-end tests.
/// </summary>
public sealed class TestIdp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;

    private TestIdp(Process process, TempDirectory directory, string issuer)
    {
        _process = process;
        _directory = directory;
        Issuer = issuer;
    }

    public const string RsaClientId = "basalt-native";

    public const string EcClientId = "basalt-native-es256";

    public string Issuer { get; }

    public string SecretsFile => _directory.Combine("secrets.txt");

    /// <summary>The browser stand-in as a <c>$BROWSER</c> value.</summary>
    public static string BrowserCommand(params string[] options)
        => string.Join(' ', new[] { Quote(ExternalTools.Node()), Quote(Path.Combine(RepoPaths.Interop, "oidc", "browser.mjs")) }.Concat(options));

    public static async Task<TestIdp> StartAsync(params string[] options)
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
        foreach (var a in new[] { Path.Combine(RepoPaths.Interop, "oidc", "idp.mjs"), "--port", "0", "--record", directory.Combine("secrets.txt") }.Concat(options))
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

        return new TestIdp(process, directory, issuer);
    }

    /// <summary>Every secret the IdP handed out or received so far.</summary>
    public IReadOnlyList<string> RecordedSecrets()
        => File.Exists(SecretsFile) ? File.ReadAllLines(SecretsFile).Where(l => l.Length >= 8).Distinct().ToList() : [];

    /// <summary>Revokes a refresh token at the IdP (RFC 7009), as an admin or a sign-out would.</summary>
    public async Task RevokeAsync(string token, string clientId = RsaClientId)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{Issuer}/token/revocation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = clientId,
        }));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Runs the browser stand-in on a URL (the user following a device-code prompt).</summary>
    public static Task<ProcessResult> BrowseAsync(string url, params string[] options)
        => ExternalTools.RunNodeAsync(Path.Combine("oidc", "browser.mjs"), [.. options, url], timeout: TimeSpan.FromSeconds(60));

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

    private static string Quote(string s) => $"\"{s}\"";
}
