using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Gateway.Authentication;
using Basalt.Gateway.Configuration;
using Basalt.Identity;
using Basalt.Identity.ApiKeys;
using Basalt.Identity.ApiKeys.Stores;
using Basalt.Identity.Groups;
using Basalt.Identity.Oidc;

// Identity benchmarks (issue 9 "Done when": authentication adds <= 50 us median per request on a cached token).
//   dotnet run -c Release --project bench/Basalt.Bench.Identity -- [--batches 200] [--batch 1000] [--fresh 300]
// Each request goes through the gateway's AuthenticatorChain as GatewayServer composes it: the configured API keys
// first (10 keys; a bearer JWT is hashed once and compared with each), then managed keys, then OIDC bearer tokens.
// The JWKS is served in-process (no network in the measured path either way: a cached token never fetches).
// Per-request time = batch wall time / batch size; the median and p99 are over batches.
var batches = Argument("--batches", 200);
var batch = Argument("--batch", 1000);
var freshCount = Argument("--fresh", 300);
const string Issuer = "https://idp.bench.example";
const string Audience = "gateway-client";

using var rsa = RSA.Create(2048);
var p = rsa.ExportParameters(false);
var jwks = $$"""{"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","n":"{{Base64Url.EncodeToString(p.Modulus)}}","e":"{{Base64Url.EncodeToString(p.Exponent)}}"}]}""";
using var http = new HttpClient(new JwksHandler(Issuer, jwks));
var dir = Path.Combine(Path.GetTempPath(), "basalt-bench-identity-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dir);
try
{
    var store = await SqlApiKeyStore.OpenSqliteAsync(Path.Combine(dir, "gateway.db"), CancellationToken.None);
    var (_, keyText) = await new ApiKeyService(store, TimeProvider.System).CreateAsync("bench", ApiKeyOwnerKind.User, "user-1", null, null, CancellationToken.None);
    var configured = Enumerable.Range(0, 10).Select(i => new GatewayApiKey($"k{i}", $"u{i}", null, null, ["g"], null, SHA256.HashData(Encoding.UTF8.GetBytes($"configured-key-{i}")))).ToList();
    var groups = new GroupMapping { IdpGroups = new Dictionary<string, string> { ["eng-id"] = "engineering" } };
    var oidc = new OidcBearerAuthenticator([new OidcIssuerOptions { Issuer = Issuer, Audiences = [Audience], Groups = groups }], http);
    var chain = new AuthenticatorChain([new ConfiguredApiKeyAuthenticator(configured), new ManagedApiKeyAuthenticator(store, groups), oidc]);

    var token = Sign(rsa, 0);
    Console.WriteLine($"identity bench: {Environment.ProcessorCount} cores, {batches} batches x {batch} requests, token {token.Length} chars");
    var bearer = await MeasureAsync(chain, new AuthenticationRequest(token, null, "/v1/messages"));
    var helperBoth = await MeasureAsync(chain, new AuthenticationRequest(token, token, "/v1/messages"));
    var managed = await MeasureAsync(chain, new AuthenticationRequest(null, keyText, "/v1/messages"));

    // First sight of a token: JWS verification and claim checks (keys already cached).
    var fresh = Enumerable.Range(1, freshCount).Select(i => Sign(rsa, i)).ToList();
    var freshTimes = new List<double>();
    foreach (var t in fresh)
    {
        var sw = Stopwatch.StartNew();
        var r = await chain.AuthenticateAsync(new AuthenticationRequest(t, null, "/v1/messages"), CancellationToken.None);
        freshTimes.Add(sw.Elapsed.TotalMicroseconds);
        Require(r);
    }

    freshTimes.Sort();
    Console.WriteLine($"cached OIDC bearer (Authorization only):      median {bearer.Median:F2} us, p99 {bearer.P99:F2} us");
    Console.WriteLine($"cached OIDC bearer (bearer + x-api-key):      median {helperBoth.Median:F2} us, p99 {helperBoth.P99:F2} us");
    Console.WriteLine($"cached managed API key (x-api-key):           median {managed.Median:F2} us, p99 {managed.P99:F2} us");
    Console.WriteLine($"first sight of a token (RS256 verify, claims): median {freshTimes[freshTimes.Count / 2]:F1} us, p99 {freshTimes[(int)(freshTimes.Count * 0.99)]:F1} us");
    Console.WriteLine($"goal: cached token median <= 50 us -> {(bearer.Median <= 50 ? "met" : "NOT met")}");

    var results = new
    {
        benchmark = "identity",
        date = DateTimeOffset.UtcNow,
        cores = Environment.ProcessorCount,
        method = "gateway AuthenticatorChain (10 configured keys, managed keys, OIDC); per-request = batch wall time / batch size; median and p99 over batches",
        batches,
        batchSize = batch,
        tokenChars = token.Length,
        cachedOidcBearerMicros = new { median = Round(bearer.Median), p99 = Round(bearer.P99) },
        cachedOidcBearerAndApiKeyHeaderMicros = new { median = Round(helperBoth.Median), p99 = Round(helperBoth.P99) },
        cachedManagedApiKeyMicros = new { median = Round(managed.Median), p99 = Round(managed.P99) },
        firstSightTokenMicros = new { median = Round(freshTimes[freshTimes.Count / 2]), p99 = Round(freshTimes[(int)(freshTimes.Count * 0.99)]), count = freshCount },
        goalCachedMedianMicros = 50,
        goalMet = bearer.Median <= 50,
    };
    var outPath = Path.Combine(FindRepo(), "bench", "results", "identity.json");
    await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    Console.WriteLine($"wrote {outPath}");
}
finally
{
    Directory.Delete(dir, recursive: true);
}

async Task<(double Median, double P99)> MeasureAsync(AuthenticatorChain chain, AuthenticationRequest request)
{
    Require(await chain.AuthenticateAsync(request, CancellationToken.None));
    for (var i = 0; i < batch * 5; i++)
    {
        await chain.AuthenticateAsync(request, CancellationToken.None);
    }

    var perRequest = new List<double>(batches);
    for (var b = 0; b < batches; b++)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < batch; i++)
        {
            await chain.AuthenticateAsync(request, CancellationToken.None);
        }

        perRequest.Add(sw.Elapsed.TotalMicroseconds / batch);
    }

    perRequest.Sort();
    return (perRequest[perRequest.Count / 2], perRequest[(int)(perRequest.Count * 0.99)]);
}

static void Require(AuthenticationResult result)
{
    if (result.Outcome != AuthenticationOutcome.Authenticated)
    {
        throw new InvalidOperationException("benchmark setup is wrong: " + result.Reason);
    }
}

static string Sign(RSA key, int n)
{
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var header = Base64Url.EncodeToString("""{"alg":"RS256","kid":"k1","typ":"JWT"}"""u8);
    var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"user-{{n}}","oid":"00000000-0000-0000-0000-{{n:D12}}","name":"Bench User {{n}}","email":"user{{n}}@example.com","groups":["eng-id","design"],"iat":{{now}},"exp":{{now + 3600}}}"""));
    var input = header + "." + payload;
    return input + "." + Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
}

static double Round(double value) => Math.Round(value, 2);

static string FindRepo()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "Basalt.sln")))
        {
            return d.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository");
}

int Argument(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

/// <summary>Discovery and JWKS answered in-process (the benchmark measures authentication, not the network).</summary>
internal sealed class JwksHandler(string issuer, string jwks) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.RequestUri!.AbsolutePath.EndsWith("openid-configuration", StringComparison.Ordinal)
            ? $$"""{"issuer":"{{issuer}}","jwks_uri":"{{issuer}}/jwks"}"""
            : jwks;
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
