using System.Collections.Frozen;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Basalt.Gateway.Hosting;

namespace Basalt.Gateway.Dashboard.Assets;

/// <summary>
/// Serves the admin dashboard's single-page app (issue 11 item 1): <c>/admin</c> (the index page) and
/// <c>/admin/assets/{version}/{file}</c>, all embedded in this assembly so the gateway works offline and nothing is
/// loaded from a CDN. The pages hold no secret: they fetch the session (and its CSRF token) from
/// <c>/admin/api/session</c> at run time, so these routes need no sign-in.
/// <para>
/// Caching: the index names its assets under one content version (a hash of every asset), so the files it loads are
/// immutable for a year and a new build changes every URL; the index itself is revalidated on each load (ETag,
/// 304). A file asked for under another version (a replica of a different build behind one load balancer) is still
/// served, only without <c>immutable</c>.
/// </para>
/// <para>
/// Security headers on every answer: a Content-Security-Policy that allows only this origin and no inline script
/// or style (the pages are written for it: no <c>style=</c>, no inline handlers; Chart.js sets styles through the
/// CSSOM, which CSP permits), <c>frame-ancestors 'none'</c> against click-jacking, <c>nosniff</c>, and no referrer.
/// </para>
/// </summary>
internal sealed class DashboardAssets
{
    private const string AssetPrefix = "/admin/assets/";
    private const string ResourcePrefix = "Basalt.Dashboard.";

    /// <summary>CSP Level 3 (W3C): only 'self'; <c>img-src data:</c> for Chart.js's <c>toDataURL</c> downloads.</summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly Lazy<DashboardAssets> Embedded = new(() => Load(typeof(DashboardAssets).Assembly));

    private readonly FrozenDictionary<string, Asset> _files;
    private readonly Asset _index;

    private DashboardAssets(FrozenDictionary<string, Asset> files, Asset index, string version)
    {
        _files = files;
        _index = index;
        Version = version;
    }

    /// <summary>The assets embedded in this build of Basalt.</summary>
    public static DashboardAssets Default => Embedded.Value;

    /// <summary>The content version in every asset URL the index names (first 12 hex digits of a SHA-256).</summary>
    public string Version { get; }

    /// <summary>The asset names (relative to <c>/admin/assets/{version}/</c>), for tests.</summary>
    public IEnumerable<string> Names => _files.Keys;

    /// <summary>True for <c>/admin</c>, <c>/admin/</c> and <c>/admin/assets/…</c> (a normalized path without query).</summary>
    public static bool Serves(string path) => path is "/admin" or "/admin/" || path.StartsWith(AssetPrefix, StringComparison.Ordinal);

    public async Task HandleAsync(GatewayExchange exchange, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(path);
        SetSecurityHeaders(exchange);
        if (exchange.Method is not ("GET" or "HEAD"))
        {
            exchange.SetResponseHeader("allow", "GET, HEAD");
            await PlainAsync(exchange, 405, $"{exchange.Method} is not allowed on {path}: the dashboard's pages are read with GET.", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (path is "/admin" or "/admin/")
        {
            // The index is small and names the current version: always revalidated, never stored as immutable.
            await WriteAsync(exchange, _index, "no-cache", cancellationToken).ConfigureAwait(false);
            return;
        }

        var rest = path.AsSpan(AssetPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash > 0 && _files.TryGetValue(rest[(slash + 1)..].ToString(), out var asset))
        {
            var current = rest[..slash].SequenceEqual(Version);
            await WriteAsync(exchange, asset, current ? "public, max-age=31536000, immutable" : "no-cache", cancellationToken).ConfigureAwait(false);
            return;
        }

        await PlainAsync(exchange, 404, $"{path} is not a dashboard asset; open /admin/ for the dashboard.", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads every embedded <c>Basalt.Dashboard.*</c> resource; the index template gets the version.</summary>
    internal static DashboardAssets Load(Assembly assembly)
    {
        var raw = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            raw[name[ResourcePrefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }

        if (!raw.Remove("index.html", out var template))
        {
            throw new InvalidOperationException("the dashboard's index.html is not embedded in this build (Basalt.csproj: Gateway/Dashboard/Assets/web/**)");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, bytes) in raw)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(bytes);
        }

        var version = Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
        var index = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(template).Replace("{{assets}}", AssetPrefix + version, StringComparison.Ordinal));
        var files = raw.ToFrozenDictionary(p => p.Key, p => Asset.Create(p.Key, p.Value), StringComparer.Ordinal);
        return new DashboardAssets(files, Asset.Create("index.html", index), version);
    }

    internal static void SetSecurityHeaders(GatewayExchange exchange)
    {
        exchange.SetResponseHeader("content-security-policy", ContentSecurityPolicy);
        exchange.SetResponseHeader("x-content-type-options", "nosniff");
        exchange.SetResponseHeader("x-frame-options", "DENY");
        exchange.SetResponseHeader("referrer-policy", "no-referrer");
        exchange.SetResponseHeader("cross-origin-opener-policy", "same-origin");
        exchange.SetResponseHeader("cross-origin-resource-policy", "same-origin");
    }

    private static async Task WriteAsync(GatewayExchange exchange, Asset asset, string cacheControl, CancellationToken cancellationToken)
    {
        exchange.SetResponseHeader("cache-control", cacheControl);
        exchange.SetResponseHeader("etag", asset.ETag);
        exchange.SetResponseHeader("vary", "Accept-Encoding");
        if (IfNoneMatch(exchange.GetHeader("if-none-match"), asset.ETag))
        {
            exchange.StatusCode = 304;
            return;
        }

        var (body, encoding) = Negotiate(exchange.GetHeader("accept-encoding"), asset);
        exchange.StatusCode = 200;
        exchange.SetResponseHeader("content-type", asset.ContentType);
        if (encoding is not null)
        {
            exchange.SetResponseHeader("content-encoding", encoding);
        }

        exchange.SetResponseHeader("content-length", body.Length.ToString(CultureInfo.InvariantCulture));
        if (exchange.Method == "HEAD")
        {
            return;
        }

        await exchange.ResponseBody.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await exchange.ResponseBody.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RFC 9110 §13.1.2: <c>*</c> or a list of (weak-compared) entity tags.</summary>
    private static bool IfNoneMatch(string? header, string etag)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (tag == "*" || tag == etag)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Brotli, then gzip, when the client accepts it and it was worth compressing (q=0 means refused).</summary>
    private static (ReadOnlyMemory<byte> Body, string? Encoding) Negotiate(string? acceptEncoding, Asset asset)
    {
        if (acceptEncoding is not null)
        {
            if (asset.Brotli is { } br && Accepts(acceptEncoding, "br"))
            {
                return (br, "br");
            }

            if (asset.Gzip is { } gz && Accepts(acceptEncoding, "gzip"))
            {
                return (gz, "gzip");
            }
        }

        return (asset.Body, null);
    }

    private static bool Accepts(string header, string coding)
    {
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var semicolon = part.IndexOf(';', StringComparison.Ordinal);
            var name = semicolon < 0 ? part : part[..semicolon].Trim();
            if (!string.Equals(name, coding, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var q = semicolon < 0 ? string.Empty : part[(semicolon + 1)..].Replace(" ", string.Empty, StringComparison.Ordinal);
            return !(q.StartsWith("q=0", StringComparison.OrdinalIgnoreCase) && !q.AsSpan(3).ContainsAnyInRange('1', '9'));
        }

        return false;
    }

    private static Task PlainAsync(GatewayExchange exchange, int status, string message, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(message + "\n");
        exchange.StatusCode = status;
        exchange.SetResponseHeader("cache-control", "no-store");
        exchange.SetResponseHeader("content-type", "text/plain; charset=utf-8");
        exchange.SetResponseHeader("content-length", body.Length.ToString(CultureInfo.InvariantCulture));
        return exchange.Method == "HEAD" ? Task.CompletedTask : exchange.ResponseBody.WriteAsync(body, cancellationToken).AsTask();
    }

    private sealed record Asset(string ContentType, string ETag, byte[] Body, byte[]? Gzip, byte[]? Brotli)
    {
        public static Asset Create(string name, byte[] body)
        {
            var type = ContentTypeOf(name);
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..16] + "\"";
            var compressible = body.Length > 1024 && !type.StartsWith("image/png", StringComparison.Ordinal) && !type.StartsWith("font/", StringComparison.Ordinal);
            return compressible ? new Asset(type, etag, body, GzipOf(body), BrotliOf(body)) : new Asset(type, etag, body, null, null);
        }

        /// <summary>
        /// Brotli quality 5: measured on the 210 kB chart library, quality 11 takes ~1 s of CPU for 61 kB and quality 5
        /// ~20 ms for 68 kB; the assets are compressed once per process, on the first dashboard request.
        /// </summary>
        private static byte[] BrotliOf(byte[] body)
        {
            var output = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
            if (!BrotliEncoder.TryCompress(body, output, out var written, quality: 5, window: 22))
            {
                throw new InvalidOperationException("brotli compression of a dashboard asset failed");
            }

            return output.AsSpan(0, written).ToArray();
        }

        private static byte[] GzipOf(byte[] body)
        {
            using var output = new MemoryStream();
            using (var stream = new GZipStream(output, CompressionLevel.SmallestSize))
            {
                stream.Write(body);
            }

            return output.ToArray();
        }

        private static string ContentTypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" or ".mjs" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            ".png" => "image/png",
            ".woff2" => "font/woff2",
            ".json" => "application/json; charset=utf-8",
            ".md" or ".txt" => "text/plain; charset=utf-8",
            _ => "application/octet-stream",
        };
    }
}
