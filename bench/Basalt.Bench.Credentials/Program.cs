using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using Basalt.Emulator;

// Cached-path latency of the credential helper (README, "basalt-credential"): the NativeAOT
// `basalt-credential process` against `/usr/bin/aws configure export-credentials` (AWS CLI v2). basalt-credential
// runs an IAM Identity Center profile whose SSO token (in the shared ~/.aws/sso/cache) and role credentials (its
// encrypted cache) are both cached, served by the emulator on loopback; and, like for like, a static-keys profile.
// The AWS CLI here is 2.9.19: it keeps SSO role credentials only in memory (every run calls the portal) and has no
// endpoint override for its credential providers, so it cannot run a cached SSO path against loopback; it runs a
// static-keys profile instead, its fastest credential path (no network, no cache). Runs are interleaved so machine
// noise hits all series alike, and the emulator's request log proves no timed run went to the network. Usage:
//   dotnet run -c Release --project bench/Basalt.Bench.Credentials [-- --runs 50 --helper PATH --aws /usr/bin/aws]
var runs = int.Parse(Argument("--runs", "50"), CultureInfo.InvariantCulture);
var helper = Path.GetFullPath(Argument("--helper", Environment.GetEnvironmentVariable("BASALT_CREDENTIAL_HELPER") ?? Path.Combine(RepoRoot(), "artifacts", "native", "basalt-credential")));
var aws = Argument("--aws", "/usr/bin/aws");
foreach (var (name, path, hint) in new[] { ("basalt-credential", helper, "dotnet publish src/Basalt.CredentialHelper -c Release -r linux-x64 -o artifacts/native"), ("AWS CLI v2", aws, "apt-get install -y awscli") })
{
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"{name} not found at {path}; build or install it: {hint}");
        return 1;
    }
}

const string Account = "111122223333";
const string StartUrl = "https://d-9067example.awsapps.com/start";
const string Session = "bench";
const string StaticKeyId = "AKIAIOSFODNN7EXAMPLE";
const string StaticSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
var options = EmulatorOptions.Parse($$"""
    region: us-east-1
    accounts:
      - id: "{{Account}}"
    users:
      - name: alice
        account: "{{Account}}"
    permissionSets:
      - name: BedrockInference
        sessionDuration: 8h
        assignments:
          - account: "{{Account}}"
            users: [alice]
    identityCenter:
      startUrl: {{StartUrl}}
    """, "bench-credentials.yaml");
if (options.HasErrors)
{
    Console.Error.WriteLine(string.Join('\n', options.Diagnostics));
    return 1;
}

await using var emulator = await EmulatorServer.StartAsync(options);
var endpoint = emulator.BaseAddress.AbsoluteUri;
var home = Directory.CreateTempSubdirectory("basalt-bench-credentials-").FullName;
try
{
    // One device sign-in, approved as alice, stored where `aws sso login --sso-session bench` stores it.
    var token = await SignInAsync(emulator.BaseAddress);
    var ssoCache = Directory.CreateDirectory(Path.Combine(home, ".aws", "sso", "cache")).FullName;
    var expires = DateTimeOffset.UtcNow.AddHours(8).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    // The AWS CLI names the token file by the SHA-1 of the sso-session name (a file name, not a security use).
#pragma warning disable CA5350
    await File.WriteAllTextAsync(Path.Combine(ssoCache, Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Session))) + ".json"),
        JsonSerializer.Serialize(new Dictionary<string, string> { ["startUrl"] = StartUrl, ["region"] = "us-east-1", ["accessToken"] = token, ["expiresAt"] = expires }));
#pragma warning restore CA5350
    await File.WriteAllTextAsync(Path.Combine(home, ".aws", "config"), $"""
        [profile bench]
        sso_session = {Session}
        sso_account_id = {Account}
        sso_role_name = BedrockInference
        region = us-east-1

        [sso-session {Session}]
        sso_start_url = {StartUrl}
        sso_region = us-east-1
        sso_registration_scopes = sso:account:access

        [profile static]
        region = us-east-1

        """);
    await File.WriteAllTextAsync(Path.Combine(home, ".aws", "credentials"), $"""
        [static]
        aws_access_key_id = {StaticKeyId}
        aws_secret_access_key = {StaticSecret}

        """);
    var settings = Path.Combine(home, "basalt-credential.json");
    await File.WriteAllTextAsync(settings, new JsonObject
    {
        ["version"] = 1,
        ["profiles"] = new JsonObject
        {
            ["bench"] = new JsonObject
            {
                ["source"] = "identity-center",
                ["region"] = "us-east-1",
                ["startUrl"] = StartUrl,
                ["ssoRegion"] = "us-east-1",
                ["accountId"] = Account,
                ["roleName"] = "BedrockInference",
                ["ssoSession"] = Session,
                ["endpoints"] = new JsonObject { ["sso"] = endpoint, ["ssoOidc"] = endpoint },
            },
            ["static"] = new JsonObject { ["source"] = "static", ["region"] = "us-east-1", ["accessKeyId"] = StaticKeyId, ["secretAccessKey"] = StaticSecret },
        },
    }.ToJsonString());
    var environment = new Dictionary<string, string?>
    {
        ["HOME"] = home,
        ["AWS_CONFIG_FILE"] = Path.Combine(home, ".aws", "config"),
        ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home, ".aws", "credentials"),
        ["AWS_ENDPOINT_URL_SSO"] = endpoint.TrimEnd('/'),
        ["AWS_ENDPOINT_URL_SSO_OIDC"] = endpoint.TrimEnd('/'),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_PAGER"] = string.Empty,
        ["AWS_PROFILE"] = null,
        ["AWS_ACCESS_KEY_ID"] = null,
        ["AWS_SECRET_ACCESS_KEY"] = null,
        ["AWS_SESSION_TOKEN"] = null,
        ["XDG_CACHE_HOME"] = null,
        ["CLAUDE_HELPER_CONTEXT"] = null,
    };
    var series = new[]
    {
        new Series("basalt-credential process (IAM Identity Center, cached)", helper, ["process", "--profile", "bench", "--settings", settings]),
        new Series("basalt-credential process (static keys)", helper, ["process", "--profile", "static", "--settings", settings]),
        new Series("aws configure export-credentials (static keys)", aws, ["configure", "export-credentials", "--profile", "static", "--format", "process"]),
    };

    // Warm-up: basalt-credential fetches the role credentials once (one portal call) and caches them; every series
    // runs once so file-system caches are warm for all.
    foreach (var run in series)
    {
        var (code, stdout, stderr, _) = await RunAsync(run.File, run.Arguments, environment);
        if (code != 0 || !stdout.Contains("\"AccessKeyId\"", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"{run.Name} failed (exit {code}): {stderr}");
            return 1;
        }
    }

    var callsBefore = emulator.RequestLog.Snapshot().Count;
    for (var i = 0; i < runs; i++)
    {
        // Interleaved, rotating which series goes first.
        for (var j = 0; j < series.Length; j++)
        {
            var run = series[(i + j) % series.Length];
            var (code, _, stderr, elapsed) = await RunAsync(run.File, run.Arguments, environment);
            if (code != 0)
            {
                Console.Error.WriteLine($"{run.Name}, run {i}, failed: {stderr}");
                return 1;
            }

            run.Times.Add(elapsed.TotalMilliseconds);
        }
    }

    var networkCalls = emulator.RequestLog.Snapshot().Count - callsBefore;
    var sso = Stats.Of(series[0].Times);
    var basaltStatic = Stats.Of(series[1].Times);
    var a = Stats.Of(series[2].Times);
    Console.WriteLine($"cached path, {runs} interleaved runs each, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}");
    foreach (var run in series)
    {
        var st = Stats.Of(run.Times);
        Console.WriteLine($"  {run.Name,-58} median {st.Median,8:F2} ms  p90 {st.P90,8:F2} ms  mean {st.Mean,8:F2} ms  min {st.Min,8:F2} ms");
    }

    Console.WriteLine($"  ratio aws(static) / basalt(SSO cached): median {a.Median / sso.Median:F1}x, p90 {a.P90 / sso.P90:F1}x");
    Console.WriteLine($"  ratio aws(static) / basalt(static):     median {a.Median / basaltStatic.Median:F1}x, p90 {a.P90 / basaltStatic.P90:F1}x");
    Console.WriteLine($"  network calls during timed runs: {networkCalls}");
    Console.WriteLine($"  targets: basalt median <= 10 ms: {(sso.Median <= 10 ? "met" : "NOT met")}; >= 30x faster than the AWS CLI: {(a.Median / sso.Median >= 30 ? "met" : "NOT met")}");

    object Describe(Series run, Stats st) => new { command = $"{Path.GetFileName(run.File)} {string.Join(' ', run.Arguments)}", medianMs = Round(st.Median), p90Ms = Round(st.P90), meanMs = Round(st.Mean), minMs = Round(st.Min), maxMs = Round(st.Max) };
    var results = new
    {
        benchmark = "credential-helper",
        recordedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        machine = new { cores = Environment.ProcessorCount, os = RuntimeInformation.OSDescription, runtime = RuntimeInformation.FrameworkDescription, awsCli = (await RunAsync(aws, ["--version"], environment)).Stdout.Trim() },
        scenario = "wall time from process start to exit as the caller sees it. basalt-credential: IAM Identity Center profile (sso-session) with a valid cached SSO token and cached role credentials, emulator on loopback; and a static-keys profile. AWS CLI v2 2.9.19 cannot cache SSO role credentials across runs nor reach a loopback portal, so it runs a static-keys profile (its fastest path, no network).",
        runsEach = runs,
        networkCallsDuringTimedRuns = networkCalls,
        binaryBytes = new FileInfo(helper).Length,
        basaltCredentialSsoCached = Describe(series[0], sso),
        basaltCredentialStatic = Describe(series[1], basaltStatic),
        awsCliV2Static = Describe(series[2], a),
        ratioMedian = Math.Round(a.Median / sso.Median, 1),
        ratioP90 = Math.Round(a.P90 / sso.P90, 1),
        ratioMedianStaticVsStatic = Math.Round(a.Median / basaltStatic.Median, 1),
        targets = new { basaltMedianMaxMs = 10, minRatio = 30, basaltMedianMet = sso.Median <= 10, ratioMet = a.Median / sso.Median >= 30 },
    };
    var output = Path.Combine(RepoRoot(), "bench", "results", "credential-helper.json");
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    Console.WriteLine($"wrote {output}");
    return 0;
}
finally
{
    Directory.Delete(home, recursive: true);
}

static double Round(double value) => Math.Round(value, 2);

static async Task<(int Code, string Stdout, string Stderr, TimeSpan Elapsed)> RunAsync(string file, string[] args, Dictionary<string, string?> environment)
{
    var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in args)
    {
        info.ArgumentList.Add(a);
    }

    foreach (var (k, v) in environment)
    {
        if (v is null)
        {
            info.Environment.Remove(k);
        }
        else
        {
            info.Environment[k] = v;
        }
    }

    var watch = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var output = await stdout;
    watch.Stop();
    return (process.ExitCode, output, await stderr, watch.Elapsed);
}

static async Task<string> SignInAsync(Uri emulator)
{
    using var oidc = new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), new AmazonSSOOIDCConfig { ServiceURL = emulator.AbsoluteUri, AuthenticationRegion = "us-east-1" });
    var client = await oidc.RegisterClientAsync(new RegisterClientRequest { ClientName = "bench", ClientType = "public" });
    var device = await oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = StartUrl });
    using (var http = new HttpClient())
    {
        using var approved = await http.PostAsync(new Uri(emulator, "device"), new FormUrlEncodedContent(new Dictionary<string, string> { ["user_code"] = device.UserCode, ["user"] = "alice" }));
        approved.EnsureSuccessStatusCode();
    }

    var token = await oidc.CreateTokenAsync(new CreateTokenRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = "urn:ietf:params:oauth:grant-type:device_code", DeviceCode = device.DeviceCode });
    return token.AccessToken;
}

static string RepoRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Basalt.sln")))
            {
                return dir.FullName;
            }
        }
    }

    return Environment.CurrentDirectory;
}

string Argument(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

internal sealed record Series(string Name, string File, string[] Arguments)
{
    public List<double> Times { get; } = [];
}

internal sealed record Stats(double Median, double P90, double Mean, double Min, double Max)
{
    public static Stats Of(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return new Stats(Percentile(sorted, 0.5), Percentile(sorted, 0.9), sorted.Average(), sorted[0], sorted[^1]);
    }

    // Linear interpolation between closest ranks.
    private static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
