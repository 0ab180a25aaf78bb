using System.Diagnostics;
using System.Net.Http;
using System.Text.Json;
using Basalt.Testing;

namespace Basalt.Tests.Credentials.Support;

/// <summary>
/// The separate process the credential tests run (tests/interop/credentials/host): the local AWS emulator out of
/// process, the resolver as basalt-credential will run it, and a lock holder to kill. Built with the solution.
/// </summary>
internal static class CredentialsHost
{
    private static readonly Lazy<Task<string>> Located = new(LocateAsync);

    public static string Interop => Path.Combine(RepoPaths.Interop, "credentials");

    public static string ApproveBrowser => Path.Combine(Interop, "approve-browser.py");

    public static Task<string> DllAsync() => Located.Value;

    public static async Task<ProcessResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
        => await ProcessRunner.RunAsync("dotnet", [await DllAsync(), .. args], environment: environment, timeout: timeout ?? TimeSpan.FromMinutes(2));

    public static async Task<Process> StartAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(await DllAsync());
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start the credentials host");
    }

    private static Task<string> LocateAsync()
    {
        // The solution builds the host (Basalt.Tests references it without linking it); with artifacts output it
        // sits next to this test assembly: artifacts/bin/<project>/<configuration>/.
        var configurationDir = new DirectoryInfo(AppContext.BaseDirectory);
        var host = Path.Combine(configurationDir.Parent!.Parent!.FullName, "Basalt.CredentialsTestHost", configurationDir.Name, "Basalt.CredentialsTestHost.dll");
        return File.Exists(host)
            ? Task.FromResult(host)
            : throw new InvalidOperationException($"{host} is missing: build the solution (scripts/test.sh does), not only this test project.");
    }
}

/// <summary>The emulator running in its own process; requests and approvals go over HTTP like any client's.</summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;

    private EmulatorProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Url => BaseAddress.ToString().TrimEnd('/');

    public static async Task<EmulatorProcess> StartAsync()
    {
        var process = await CredentialsHost.StartAsync("emulator");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        if (line is null || !Uri.TryCreate(line.Trim(), UriKind.Absolute, out var uri))
        {
            var err = await process.StandardError.ReadToEndAsync();
            throw new InvalidOperationException($"the emulator did not start: {line}\n{err}");
        }

        return new EmulatorProcess(process, uri);
    }

    /// <summary>(service, operation, outcome) of every request the emulator answered, in order.</summary>
    public async Task<IReadOnlyList<(string Service, string Operation, string Outcome)>> RequestsAsync()
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(new Uri(BaseAddress, "_emulator/requests")));
        return [.. document.RootElement.GetProperty("requests").EnumerateArray()
            .Select(e => (e.GetProperty("service").GetString()!, e.GetProperty("operation").GetString()!, e.GetProperty("outcome").GetString()!))];
    }

    public async Task<int> CountAsync(string operation, bool successOnly = true)
        => (await RequestsAsync()).Count(r => r.Operation == operation && (!successOnly || r.Outcome == "Success"));

    /// <summary>Approves a device code as a user, as the verification page's form does.</summary>
    public async Task ApproveAsync(string userCode, string user = "alice")
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["user_code"] = userCode, ["user"] = user, ["decision"] = "approve" });
        using var response = await Http.PostAsync(new Uri(BaseAddress, "device"), form);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        await Task.CompletedTask;
    }
}
