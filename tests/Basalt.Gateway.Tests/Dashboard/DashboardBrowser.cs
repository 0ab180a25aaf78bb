using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Basalt.Gateway.Tests.Dashboard;

/// <summary>
/// A person's browser, driven over HTTP: keeps cookies, follows redirects by hand (so each hop can be checked),
/// submits the IdP's login and consent forms (oidc-provider's dev interactions, any password), and then calls the
/// dashboard API the way the page does: the session cookie, and on changes the CSRF token and the page's Origin.
/// </summary>
public sealed partial class DashboardBrowser : IDisposable
{
    private readonly HttpClientHandler _handler = new() { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true };
    private readonly HttpClient _http;

    public DashboardBrowser(Uri gateway)
    {
        Gateway = gateway;
        _http = new HttpClient(_handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Gateway { get; }

    public CookieContainer Cookies => _handler.CookieContainer;

    public string? CsrfToken { get; private set; }

    /// <summary>The URLs visited during the last sign-in, in order (for assertions on the flow).</summary>
    public List<Uri> Visited { get; } = [];

    /// <summary>GET /admin/auth/login, then the IdP's pages, until the callback sends the browser back to the dashboard.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string login, string start = "/admin/auth/login")
    {
        var current = new Uri(Gateway, start);
        HttpContent? body = null;
        var method = HttpMethod.Get;
        for (var step = 0; step < 25; step++)
        {
            Visited.Add(current);
            using var request = new HttpRequestMessage(method, current) { Content = body };
            var response = await _http.SendAsync(request);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = new Uri(current, location);
                if (current.AbsolutePath == "/admin/auth/callback")
                {
                    // The dashboard set its session and sends the browser to the page: signed in.
                    await RefreshSessionAsync();
                    return response;
                }

                response.Dispose();
                current = next;
                method = HttpMethod.Get;
                body = null;
                continue;
            }

            if (current.AbsolutePath == "/admin/auth/callback" || !response.IsSuccessStatusCode)
            {
                return response;
            }

            var html = await response.Content.ReadAsStringAsync();
            response.Dispose();
            var form = FormPattern().Match(html);
            if (!form.Success)
            {
                throw new InvalidOperationException($"sign-in stopped at {current} without a form: {html[..Math.Min(html.Length, 300)]}");
            }

            var fields = new List<KeyValuePair<string, string>>();
            foreach (Match input in InputPattern().Matches(form.Groups["body"].Value))
            {
                var name = Attribute(input.Value, "name");
                if (name is null)
                {
                    continue;
                }

                var value = name switch { "login" => login, "password" => "any-password", _ => Attribute(input.Value, "value") ?? string.Empty };
                fields.Add(new(name, value));
            }

            var action = Attribute(form.Groups["open"].Value, "action");
            current = action is null ? current : new Uri(current, action);
            method = (Attribute(form.Groups["open"].Value, "method") ?? "get").Equals("post", StringComparison.OrdinalIgnoreCase) ? HttpMethod.Post : HttpMethod.Get;
            body = method == HttpMethod.Post ? new FormUrlEncodedContent(fields) : null;
            if (method == HttpMethod.Get)
            {
                current = new Uri(current.GetLeftPart(UriPartial.Path) + "?" + string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")));
            }
        }

        throw new InvalidOperationException("sign-in took more than 25 steps");
    }

    /// <summary>GET /admin/api/session; remembers the CSRF token.</summary>
    public async Task<JsonElement> RefreshSessionAsync()
    {
        using var response = await _http.GetAsync(new Uri(Gateway, "/admin/api/session"));
        var session = await DashboardTestHost.JsonAsync(response);
        CsrfToken = session.GetProperty("csrfToken").GetString();
        return session;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(Gateway, path));

    /// <summary>A state-changing call as the page makes it: same Origin and the CSRF token unless told otherwise.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null, string? origin = "", string? csrf = "")
    {
        var request = new HttpRequestMessage(method, new Uri(Gateway, path));
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        var originValue = origin == string.Empty ? Gateway.GetLeftPart(UriPartial.Authority) : origin;
        if (originValue is not null)
        {
            request.Headers.TryAddWithoutValidation("origin", originValue);
        }

        var token = csrf == string.Empty ? CsrfToken : csrf;
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("x-csrf-token", token);
        }

        return _http.SendAsync(request);
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    private static string? Attribute(string tag, string name)
    {
        var m = Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"", RegexOptions.IgnoreCase);
        return m.Success ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
    }

    [GeneratedRegex("(?<open><form\\b[^>]*>)(?<body>[\\s\\S]*?)</form>", RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();
}
