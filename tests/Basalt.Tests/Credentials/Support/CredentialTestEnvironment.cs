using Basalt.Credentials;
using Basalt.Testing;

namespace Basalt.Tests.Credentials.Support;

/// <summary>
/// A throwaway user account for one test: its own HOME (so ~/.aws and the caches are fresh), the approve-browser
/// as $BROWSER, and the AWS CLI pointed at the emulator through AWS_DATA_PATH. Dispose deletes everything.
/// </summary>
internal sealed class CredentialTestEnvironment : IDisposable
{
    private readonly TempDirectory _temp = new("cred");

    public CredentialTestEnvironment(EmulatorProcess? emulator = null)
    {
        Emulator = emulator;
        Directory.CreateDirectory(Home);
        BrowserLog = _temp.Combine("browser.log");
        Variables = new Dictionary<string, string?>
        {
            ["HOME"] = Home,
            ["PATH"] = Environment.GetEnvironmentVariable("PATH"),
            ["BROWSER"] = CredentialsHost.ApproveBrowser,
            ["BASALT_TEST_BROWSER_LOG"] = BrowserLog,
            ["BASALT_CREDENTIAL_KEY_STORE"] = null,
            ["AWS_CONFIG_FILE"] = null,
            ["AWS_SHARED_CREDENTIALS_FILE"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_REGION"] = null,
            ["AWS_DEFAULT_REGION"] = null,
            ["CLAUDE_HELPER_CONTEXT"] = null,
            ["CLAUDE_HELPER_MANUAL_RUN"] = null,
            ["DBUS_SESSION_BUS_ADDRESS"] = null,
            ["DOTNET_NOLOGO"] = "1",
        };
        if (emulator is not null)
        {
            var dataPath = _temp.Combine("aws-data");
            var made = ProcessRunner.RunAsync(ExternalTools.Python(), [Path.Combine(CredentialsHost.Interop, "aws-data-path.py"), dataPath, emulator.Url]).GetAwaiter().GetResult();
            Assert.True(made.ExitCode == 0, made.ToString());
            Variables["AWS_DATA_PATH"] = dataPath;
            Variables["AWS_ENDPOINT_URL"] = emulator.Url;
        }
    }

    public EmulatorProcess? Emulator { get; }

    public string Root => _temp.Path;

    public string Home => _temp.Combine("home");

    public string AwsDir => Path.Combine(Home, ".aws");

    public string BrowserLog { get; }

    public Dictionary<string, string?> Variables { get; }

    public int BrowserOpenings => File.Exists(BrowserLog) ? File.ReadAllLines(BrowserLog).Length : 0;

    public CredentialEnvironment ToCredentialEnvironment(TimeProvider? time = null)
        => new(Variables.Where(v => v.Value is not null).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)), time);

    public string WriteConfig(string text) => Write(Path.Combine(AwsDir, "config"), text);

    public string WriteCredentials(string text) => Write(Path.Combine(AwsDir, "credentials"), text);

    public string Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string Combine(params string[] parts) => _temp.Combine(parts);

    /// <summary>Runs the real AWS CLI v2 (/usr/bin/aws) as this user.</summary>
    public Task<ProcessResult> AwsAsync(params string[] args)
        => ProcessRunner.RunAsync(ExternalTools.AwsCliV2(), args, environment: Variables, timeout: TimeSpan.FromMinutes(2));

    public void Dispose() => _temp.Dispose();
}
