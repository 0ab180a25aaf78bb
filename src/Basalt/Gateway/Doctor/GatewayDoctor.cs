using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Basalt.Gateway.Doctor;

/// <summary>
/// <c>basalt gateway doctor</c> (issue 11 item 3): checks a running deployment from outside, as a device sees it —
/// TLS (chain, expiry, hostname), <c>/healthz</c> and <c>/readyz</c> (upstream breakers, usage store, last reload),
/// clock skew from the <c>Date</c> header, the metadata endpoints (<c>/v1/models</c>, Bedrock-style discovery),
/// one smallest request per model with the given key, and the Claude Code and Claude Desktop settings that
/// <c>deploy generate</c> writes for each group of a deployment file (<see cref="DeploymentSettingsProbe"/>).
/// Every outcome is a <see cref="DoctorCheck"/>; nothing throws for a failing deployment.
/// </summary>
public static class GatewayDoctor
{
    public static async Task<DoctorReport> RunAsync(DoctorOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        var baseUri = BaseOf(options.Url);
        var checks = new List<DoctorCheck>();
        X509Certificate2Collection? roots = null;
        if (options.CaFile is { } caFile)
        {
            roots = [];
            try
            {
                roots.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                checks.Add(new DoctorCheck("tls", DoctorStatus.Failed, $"cannot read the CA file {caFile}: {e.Message}", "give --ca a readable PEM file of the private CA's root certificate"));
                return new DoctorReport(baseUri, time.GetUtcNow(), checks);
            }
        }

        using var http = CreateClient(roots, options.Timeout);
        if (!options.HealthOnly && baseUri.Scheme == Uri.UriSchemeHttps)
        {
            checks.Add(await TlsAsync(baseUri, roots, options, time, cancellationToken).ConfigureAwait(false));
        }

        var healthy = await HealthAsync(http, baseUri, checks, options, time, cancellationToken).ConfigureAwait(false);
        if (options.HealthOnly || !healthy)
        {
            return new DoctorReport(baseUri, time.GetUtcNow(), checks);
        }

        await ReadinessAsync(http, baseUri, checks, cancellationToken).ConfigureAwait(false);
        if (options.Key is { } key)
        {
            var models = await ModelsAsync(http, baseUri, key, checks, cancellationToken).ConfigureAwait(false);
            await DiscoveryAsync(http, baseUri, key, checks, cancellationToken).ConfigureAwait(false);
            foreach (var model in models)
            {
                checks.Add(await TestRequestAsync(http, baseUri, key, model, cancellationToken).ConfigureAwait(false));
            }
        }
        else
        {
            checks.Add(new DoctorCheck("models", DoctorStatus.Skipped, "no --key given: /v1/models, discovery and the test request per model were not checked"));
        }

        if (options.DeploymentFile is { } deployment)
        {
            checks.AddRange(await DeploymentSettingsProbe.CheckAsync(deployment, baseUri, http, cancellationToken).ConfigureAwait(false));
        }

        return new DoctorReport(baseUri, time.GetUtcNow(), checks);
    }

    /// <summary><c>https://gw/v1/</c> and <c>https://gw</c> → <c>https://gw/</c>: the doctor adds the paths itself.</summary>
    internal static Uri BaseOf(Uri url)
    {
        var path = url.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/v1", StringComparison.Ordinal))
        {
            path = path[..^3];
        }

        return new UriBuilder(url) { Path = path + "/", Query = string.Empty, Fragment = string.Empty }.Uri;
    }

    internal static HttpClient CreateClient(X509Certificate2Collection? roots, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = timeout,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, roots) },
        };
        return new HttpClient(handler) { Timeout = timeout };
    }

    /// <summary>The platform's trust, plus the given private roots for a chain the platform does not know.</summary>
    internal static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? roots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (roots is null || certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private static async Task<DoctorCheck> TlsAsync(Uri baseUri, X509Certificate2Collection? roots, DoctorOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        X509Certificate2? leaf = null;
        var errors = SslPolicyErrors.None;
        var chainStatus = string.Empty;
        try
        {
            using var tcp = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            await tcp.ConnectAsync(baseUri.Host, baseUri.Port, timeout.Token).ConfigureAwait(false);
            await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            // The handshake completes whatever the certificate so it can be described; nothing is sent over it.
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = baseUri.IdnHost,
                RemoteCertificateValidationCallback = (_, certificate, chain, policyErrors) =>
                {
                    leaf = certificate is null ? null : new X509Certificate2(certificate);
                    errors = policyErrors;
                    chainStatus = chain is null ? string.Empty : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
                    return true;
                },
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            return new DoctorCheck("tls", DoctorStatus.Failed, $"no TLS handshake with {baseUri.Host}:{baseUri.Port}: {e.Message}", "check that the listener is https and reachable from here");
        }

        using (leaf)
        {
            if (leaf is null)
            {
                return new DoctorCheck("tls", DoctorStatus.Failed, "the server sent no certificate", "configure 'certificate:' and 'key:' on the https listener");
            }

            var now = time.GetUtcNow();
            var left = leaf.NotAfter.ToUniversalTime() - now.UtcDateTime;
            var described = $"{leaf.Subject}, issued by {leaf.Issuer}, valid until {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm}Z ({left.TotalDays:0} days left)";
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                return new DoctorCheck("tls", DoctorStatus.Failed, $"the certificate does not name {baseUri.Host}: {described}", $"issue a certificate whose subject alternative names include {baseUri.Host}");
            }

            if (left <= TimeSpan.Zero || leaf.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                return new DoctorCheck("tls", DoctorStatus.Failed, $"the certificate is not valid now: {described}", "renew the certificate and restart the gateway (certificates load at start)");
            }

            if (errors != SslPolicyErrors.None && !Trusted(leaf, errors, roots))
            {
                return new DoctorCheck("tls", DoctorStatus.Failed, $"the certificate chain is not trusted ({chainStatus}): {described}",
                    roots is null ? "serve the full chain, or give the private CA's root with --ca FILE" : "serve the intermediate certificates too, or check that --ca is the right root");
            }

            return left < options.ExpiryWarning
                ? new DoctorCheck("tls", DoctorStatus.Warning, $"expires soon: {described}", "renew the certificate before it expires")
                : new DoctorCheck("tls", DoctorStatus.Ok, $"chain trusted, hostname matches: {described}");
        }
    }

    private static async Task<bool> HealthAsync(HttpClient http, Uri baseUri, List<DoctorCheck> checks, DoctorOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync(new Uri(baseUri, "healthz"), cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var ok = response.StatusCode == System.Net.HttpStatusCode.OK;
            checks.Add(new DoctorCheck("healthz", ok ? DoctorStatus.Ok : DoctorStatus.Failed, $"{(int)response.StatusCode} in {elapsed.TotalMilliseconds:0} ms", ok ? null : "the process answers but is not healthy: read its log"));
            if (!options.HealthOnly && response.Headers.Date is { } date)
            {
                // Date has one-second resolution and was set before the answer travelled: allow for both.
                var skew = (time.GetUtcNow() - date) - elapsed / 2;
                var abs = skew.Duration();
                var status = abs >= options.ClockFailure ? DoctorStatus.Failed : abs >= options.ClockWarning ? DoctorStatus.Warning : DoctorStatus.Ok;
                checks.Add(new DoctorCheck("clock", status, $"server Date is {Math.Abs(skew.TotalSeconds):0.0} s {(skew > TimeSpan.Zero ? "behind" : "ahead of")} this machine",
                    status == DoctorStatus.Ok ? null : "synchronise the gateway host's clock (NTP); AWS signatures and tokens fail beyond 5 minutes"));
            }
            else if (!options.HealthOnly)
            {
                checks.Add(new DoctorCheck("clock", DoctorStatus.Warning, "the answer had no Date header, so clock skew is unknown"));
            }

            return ok;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            checks.Add(new DoctorCheck("healthz", DoctorStatus.Failed, $"GET {new Uri(baseUri, "healthz")} failed: {Reason(e)}", "check the URL, that the gateway runs, and TLS trust (--ca)"));
            return false;
        }
    }

    private static async Task ReadinessAsync(HttpClient http, Uri baseUri, List<DoctorCheck> checks, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(baseUri, "readyz"), cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(body);
                root = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                checks.Add(new DoctorCheck("readyz", DoctorStatus.Failed, $"{(int)response.StatusCode} with a body that is not JSON", "is this URL a Basalt gateway?"));
                return;
            }

            var upstreams = new List<string>();
            if (root.TryGetProperty("upstreams", out var ups) && ups.ValueKind == JsonValueKind.Object)
            {
                foreach (var u in ups.EnumerateObject())
                {
                    var breaker = u.Value.TryGetProperty("breaker", out var b) ? b.GetString() : "?";
                    var credentials = u.Value.TryGetProperty("credentials", out var c) ? c.GetString() : "?";
                    upstreams.Add(credentials == "ok" ? $"{u.Name} {breaker}" : $"{u.Name} {breaker}, credentials: {credentials}");
                }
            }

            var ready = response.IsSuccessStatusCode;
            checks.Add(new DoctorCheck("readyz", ready ? DoctorStatus.Ok : DoctorStatus.Failed, $"{(int)response.StatusCode} {(ready ? "ready" : "not ready")}; upstreams: {(upstreams.Count == 0 ? "none" : string.Join("; ", upstreams))}",
                ready ? null : "see the upstream and usage details: a load balancer sends this replica no traffic until it is ready"));
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                var kind = usage.TryGetProperty("store", out var k) ? k.GetString() : "?";
                var ok = usage.TryGetProperty("status", out var s) && s.GetString() == "ok";
                var reason = usage.TryGetProperty("reason", out var r) ? r.GetString() : null;
                var backlog = usage.TryGetProperty("journalBacklogBytes", out var j) && j.TryGetInt64(out var bytes) ? bytes : 0;
                checks.Add(new DoctorCheck("store", ok ? DoctorStatus.Ok : DoctorStatus.Failed, $"{kind} {(ok ? "reachable" : "unavailable")}{(reason is null ? string.Empty : ": " + reason)}; journal backlog {backlog} bytes",
                    ok ? null : "bring the usage store back (records wait in the journal meanwhile)"));
            }
            else
            {
                checks.Add(new DoctorCheck("store", DoctorStatus.Skipped, "usage is off on this gateway (no store in /readyz)"));
            }

            if (root.TryGetProperty("reload", out var reload) && reload.ValueKind == JsonValueKind.Object)
            {
                var applied = reload.TryGetProperty("status", out var st) && st.GetString() == "applied";
                var message = reload.TryGetProperty("message", out var m) ? m.GetString() : null;
                var at = reload.TryGetProperty("at", out var a) ? a.GetString() : null;
                checks.Add(new DoctorCheck("reload", applied ? DoctorStatus.Ok : DoctorStatus.Warning, $"last reload {(applied ? "applied" : "rejected")} at {at}: {message}",
                    applied ? null : "fix the configuration file and send SIGHUP again (the gateway runs the previous configuration)"));
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            checks.Add(new DoctorCheck("readyz", DoctorStatus.Failed, $"GET /readyz failed: {Reason(e)}"));
        }
    }

    private static async Task<IReadOnlyList<string>> ModelsAsync(HttpClient http, Uri baseUri, string key, List<DoctorCheck> checks, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v1/models"));
            Authorize(request, key, "bearer");
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                checks.Add(new DoctorCheck("models", DoctorStatus.Failed, $"GET /v1/models answered {(int)response.StatusCode}: {ErrorMessage(body)}",
                    response.StatusCode == System.Net.HttpStatusCode.Unauthorized ? "the --key is not accepted: check it, or create one with 'basalt gateway keys create'" : null));
                return [];
            }

            using var document = JsonDocument.Parse(body);
            var ids = document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                ? data.EnumerateArray().Select(m => m.TryGetProperty("id", out var id) ? id.GetString() : null).OfType<string>().ToList()
                : [];
            checks.Add(new DoctorCheck("models", ids.Count > 0 ? DoctorStatus.Ok : DoctorStatus.Failed, ids.Count > 0 ? $"/v1/models lists {ids.Count}: {string.Join(", ", ids)}" : "/v1/models lists no model for this key",
                ids.Count > 0 ? null : "add a model to one of the key's groups ('gateway.groups.NAME.models')"));
            return ids;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            checks.Add(new DoctorCheck("models", DoctorStatus.Failed, $"GET /v1/models failed: {Reason(e)}"));
            return [];
        }
    }

    private static async Task DiscoveryAsync(HttpClient http, Uri baseUri, string key, List<DoctorCheck> checks, CancellationToken cancellationToken)
    {
        try
        {
            // What Claude Code in Bedrock mode asks first (gateway.md: control-plane discovery).
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "inference-profiles?type=SYSTEM_DEFINED"));
            Authorize(request, key, "bearer");
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                checks.Add(new DoctorCheck("discovery", DoctorStatus.Failed, $"GET /inference-profiles answered {(int)response.StatusCode}: {ErrorMessage(body)}"));
                return;
            }

            using var document = JsonDocument.Parse(body);
            var count = document.RootElement.TryGetProperty("inferenceProfileSummaries", out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;
            checks.Add(new DoctorCheck("discovery", DoctorStatus.Ok, $"/inference-profiles lists {count} profile(s) for Bedrock-mode clients"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            checks.Add(new DoctorCheck("discovery", DoctorStatus.Failed, $"GET /inference-profiles failed: {Reason(e)}"));
        }
    }

    /// <summary>The cheapest real request: one user word, <c>max_tokens: 1</c>.</summary>
    private static async Task<DoctorCheck> TestRequestAsync(HttpClient http, Uri baseUri, string key, string model, CancellationToken cancellationToken)
    {
        var name = $"model {model}";
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "v1/messages"));
            Authorize(request, key, "bearer");
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
            var json = new ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(json))
            {
                writer.WriteStartObject();
                writer.WriteString("model", model);
                writer.WriteNumber("max_tokens", 1);
                writer.WriteStartArray("messages");
                writer.WriteStartObject();
                writer.WriteString("role", "user");
                writer.WriteString("content", "ping");
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            request.Content = new ByteArrayContent(json.WrittenSpan.ToArray());
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var upstream = response.Headers.TryGetValues("x-basalt-upstream", out var u) ? $" via upstream {u.First()}" : string.Empty;
            return response.IsSuccessStatusCode
                ? new DoctorCheck(name, DoctorStatus.Ok, $"test request answered 200 in {elapsed.TotalMilliseconds:0} ms{upstream}")
                : new DoctorCheck(name, DoctorStatus.Failed, $"test request answered {(int)response.StatusCode}{upstream}: {ErrorMessage(body)}", "see /readyz for the upstream's breaker and credentials, and the gateway log for the request id");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new DoctorCheck(name, DoctorStatus.Failed, $"test request failed: {Reason(e)}");
        }
    }

    internal static void Authorize(HttpRequestMessage request, string key, string scheme)
    {
        if (scheme == "x-api-key")
        {
            request.Headers.TryAddWithoutValidation("x-api-key", key);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    /// <summary>Anthropic's or Bedrock's error message from a body, shortened; never the request.</summary>
    internal static string ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m))
            {
                return Short(m.GetString() ?? string.Empty);
            }

            if (root.ValueKind == JsonValueKind.Object && (root.TryGetProperty("message", out m) || root.TryGetProperty("Message", out m)))
            {
                return Short(m.GetString() ?? string.Empty);
            }
        }
        catch (JsonException)
        {
        }

        return Short(body);
    }

    internal static string Reason(Exception e) => e is TaskCanceledException ? "timed out" : e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    private static string Short(string text) => text.Length > 200 ? string.Concat(text.AsSpan(0, 197), "...") : text;
}
