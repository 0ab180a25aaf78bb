namespace Basalt.Identity.OAuth;

/// <summary>
/// Adds form-encoded parameters to a URL that may already carry a query (RFC 6749 §3.1: an endpoint URI "MAY include
/// a query component, which MUST be retained when adding additional query parameters"). One builder for the
/// authorization requests the gateway sends (to an IdP, to IAM Identity Center) and the redirects it answers with.
/// </summary>
internal static class OAuthQuery
{
    /// <summary><paramref name="url"/> with each parameter whose value is not null appended, in order.</summary>
    public static Uri Append(string url, params (string Name, string? Value)[] parameters)
    {
        var query = string.Join('&', parameters.Where(p => p.Value is not null).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
        return new Uri(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
    }
}
