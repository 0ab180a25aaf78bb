using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Basalt.Gateway.Dashboard.Assets;

namespace Basalt.Gateway.Tests.Dashboard.Assets;

/// <summary>
/// The dashboard's embedded single-page app (issue 11): what is served, with which headers and caching, and that the
/// pages are written for a CSP without 'unsafe-inline' (no inline script, style or handler; no innerHTML).
/// </summary>
public sealed partial class DashboardAssetsTests
{
    private static readonly DashboardAssets Assets = DashboardAssets.Default;

    [Theory]
    [InlineData("/admin", true)]
    [InlineData("/admin/", true)]
    [InlineData("/admin/assets/abc/js/app.js", true)]
    [InlineData("/admin/api/session", false)]
    [InlineData("/admin/usage", false)]
    [InlineData("/administrator", false)]
    public void Serves_only_the_index_and_the_asset_folder(string path, bool served) => Assert.Equal(served, DashboardAssets.Serves(path));

    [Fact]
    public async Task The_index_names_every_script_and_stylesheet_under_the_current_version_and_has_no_inline_code()
    {
        var index = await GetAsync("/admin");
        Assert.Equal(200, index.StatusCode);
        Assert.Equal("text/html; charset=utf-8", index.Header("content-type"));
        Assert.Equal("no-cache", index.Header("cache-control"));
        var html = Encoding.UTF8.GetString(index.Body);
        Assert.DoesNotContain("{{assets}}", html, StringComparison.Ordinal);
        var sources = SourceOrHref().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains($"/admin/assets/{Assets.Version}/js/app.js", sources);
        Assert.Contains($"/admin/assets/{Assets.Version}/app.css", sources);
        Assert.Contains($"/admin/assets/{Assets.Version}/vendor/chart.umd.min.js", sources);
        foreach (var source in sources)
        {
            var asset = await GetAsync(source);
            Assert.True(asset.StatusCode == 200, $"{source} → {asset.StatusCode}");
        }

        // Every <script> loads a file; no <style> element, no style= attribute, no on*= handler.
        Assert.All(ScriptTag().Matches(html), m => Assert.Contains("src=", m.Value, StringComparison.Ordinal));
        Assert.DoesNotMatch(InlineStyleOrHandler(), html);
    }

    [Fact]
    public async Task Versioned_assets_are_immutable_with_their_content_type_and_other_versions_are_revalidated()
    {
        var js = await GetAsync($"/admin/assets/{Assets.Version}/js/app.js");
        Assert.Equal("text/javascript; charset=utf-8", js.Header("content-type"));
        Assert.Equal("public, max-age=31536000, immutable", js.Header("cache-control"));
        var css = await GetAsync($"/admin/assets/{Assets.Version}/app.css");
        Assert.Equal("text/css; charset=utf-8", css.Header("content-type"));
        var svg = await GetAsync($"/admin/assets/{Assets.Version}/favicon.svg");
        Assert.Equal("image/svg+xml", svg.Header("content-type"));

        var old = await GetAsync("/admin/assets/000000000000/js/app.js");
        Assert.Equal(200, old.StatusCode);
        Assert.Equal("no-cache", old.Header("cache-control"));
        Assert.Equal(js.Body, old.Body);
    }

    [Fact]
    public async Task Every_answer_carries_a_strict_content_security_policy_and_anti_framing_headers()
    {
        foreach (var path in new[] { "/admin", $"/admin/assets/{Assets.Version}/js/app.js", "/admin/assets/x/nothing.js" })
        {
            var answer = await GetAsync(path);
            var csp = answer.Header("content-security-policy");
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", answer.Header("x-content-type-options"));
            Assert.Equal("DENY", answer.Header("x-frame-options"));
        }
    }

    [Fact]
    public async Task A_matching_etag_gets_304_without_a_body()
    {
        var first = await GetAsync($"/admin/assets/{Assets.Version}/app.css");
        var etag = first.Header("etag");
        var again = await GetAsync($"/admin/assets/{Assets.Version}/app.css", new Dictionary<string, string> { ["if-none-match"] = $"W/\"other\", {etag}" });
        Assert.Equal(304, again.StatusCode);
        Assert.Empty(again.Body);
        var index = await GetAsync("/admin");
        var indexAgain = await GetAsync("/admin/", new Dictionary<string, string> { ["if-none-match"] = index.Header("etag") });
        Assert.Equal(304, indexAgain.StatusCode);
    }

    [Fact]
    public async Task The_chart_library_is_sent_brotli_or_gzip_compressed_when_accepted_and_decompresses_to_the_same_bytes()
    {
        var path = $"/admin/assets/{Assets.Version}/vendor/chart.umd.min.js";
        var plain = await GetAsync(path);
        Assert.False(plain.ResponseHeaders.ContainsKey("content-encoding"));
        Assert.Contains("Chart.js v4", Encoding.UTF8.GetString(plain.Body.AsSpan(0, 200)), StringComparison.Ordinal);

        var br = await GetAsync(path, new Dictionary<string, string> { ["accept-encoding"] = "gzip, deflate, br, zstd" });
        Assert.Equal("br", br.Header("content-encoding"));
        Assert.True(br.Body.Length < plain.Body.Length / 2, $"brotli {br.Body.Length} vs {plain.Body.Length}");
        Assert.Equal(plain.Body, Decompress(new BrotliStream(new MemoryStream(br.Body), CompressionMode.Decompress)));

        var gzip = await GetAsync(path, new Dictionary<string, string> { ["accept-encoding"] = "br;q=0, gzip" });
        Assert.Equal("gzip", gzip.Header("content-encoding"));
        Assert.Equal(plain.Body, Decompress(new GZipStream(new MemoryStream(gzip.Body), CompressionMode.Decompress)));
        Assert.Equal(gzip.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), gzip.Header("content-length"));
    }

    [Fact]
    public async Task Only_get_and_head_are_allowed_and_unknown_files_are_404()
    {
        var post = await GetAsync("/admin", method: "POST");
        Assert.Equal(405, post.StatusCode);
        Assert.Equal("GET, HEAD", post.Header("allow"));
        var head = await GetAsync($"/admin/assets/{Assets.Version}/app.css", method: "HEAD");
        Assert.Equal(200, head.StatusCode);
        Assert.Empty(head.Body);
        Assert.NotEqual("0", head.Header("content-length"));
        Assert.Equal(404, (await GetAsync($"/admin/assets/{Assets.Version}/../../../etc/passwd")).StatusCode);
        Assert.Equal(404, (await GetAsync($"/admin/assets/{Assets.Version}")).StatusCode);
        Assert.Equal(404, (await GetAsync("/admin/assets/")).StatusCode);
    }

    [Fact]
    public async Task The_pages_scripts_never_build_markup_from_strings_or_set_inline_styles()
    {
        var scripts = Assets.Names.Where(n => n.StartsWith("js/", StringComparison.Ordinal)).ToList();
        Assert.Contains("js/app.js", scripts);
        Assert.True(scripts.Count >= 10, string.Join(", ", scripts));
        foreach (var name in scripts)
        {
            var text = Encoding.UTF8.GetString((await GetAsync($"/admin/assets/{Assets.Version}/{name}")).Body);
            // Values from the API (user ids, model names, reasons) are set as text; a CSP without 'unsafe-inline'
            // would block style attributes and inline handlers anyway, so none may be written.
            Assert.DoesNotMatch(MarkupSinks(), text);
            // The CSRF token lives in memory only, never in web storage where any script of the origin could read it.
            Assert.DoesNotMatch(CsrfInStorage(), text);
        }
    }

    [Fact]
    public void The_vendored_chart_library_ships_with_its_licences()
    {
        Assert.Contains("vendor/chart.umd.min.js", Assets.Names);
        Assert.Contains("vendor/chart.js.LICENSE.md", Assets.Names);
        Assert.Contains("vendor/kurkle-color.LICENSE.md", Assets.Names);
    }

    private static async Task<MemoryExchange> GetAsync(string path, Dictionary<string, string>? headers = null, string method = "GET")
    {
        var exchange = new MemoryExchange(method, path, headers);
        await Assets.HandleAsync(exchange, path, CancellationToken.None);
        return exchange;
    }

    private static byte[] Decompress(Stream stream)
    {
        using (stream)
        {
            using var output = new MemoryStream();
            stream.CopyTo(output);
            return output.ToArray();
        }
    }

    [GeneratedRegex("(?:src|href)=\"(/admin/assets/[^\"]+)\"")]
    private static partial Regex SourceOrHref();

    [GeneratedRegex("<script\\b[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<style\\b|\\sstyle=|\\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyleOrHandler();

    [GeneratedRegex("(?:localStorage|sessionStorage)\\.setItem\\([^)]*(?:csrf|session)", RegexOptions.IgnoreCase)]
    private static partial Regex CsrfInStorage();

    [GeneratedRegex("\\.(?:inner|outer)HTML\\s*[+]?=|insertAdjacentHTML\\(|document\\.write\\(|setAttribute\\(\\s*'style'|\\.cssText\\s*=|new Function\\(|\\beval\\(")]
    private static partial Regex MarkupSinks();
}
