using System.Security.Cryptography;
using System.Text;
using Basalt.Gateway.Anthropic;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Hosting;
using Basalt.Identity;

namespace Basalt.Gateway.Managed;

/// <summary>
/// <c>GET /managed/settings</c>: the Claude Code managed settings of the caller's group (generated from the
/// deployment file by <c>basalt deploy generate</c> into <c>groups.NAME.managedSettings</c>), as Anthropic's Claude
/// apps gateway serves them (gateway.md §3). Authenticated like every other call; the caller's first group, in the
/// order the configuration lists groups, that has settings wins; a caller whose groups have none gets <c>{}</c>.
/// The answer carries a strong ETag over its bytes and <c>If-None-Match</c> with it gets 304 (RFC 9110 §13.1.2),
/// so clients that poll pay one small round trip when nothing changed.
/// </summary>
internal sealed class ManagedSettingsEndpoint
{
    public const string Path = "/managed/settings";

    private static readonly Document Empty = Document.Of("{}");
    private readonly List<(string Group, Document Settings)> _byGroup;

    public ManagedSettingsEndpoint(GatewayOptions options)
    {
        _byGroup = [.. options.Groups.Values.Where(g => g.ManagedSettings is not null).Select(g => (g.Name, Document.Of(g.ManagedSettings!)))];
    }

    public async Task HandleAsync(GatewayExchange exchange, string requestId, GatewayHandler gateway)
    {
        var aborted = exchange.Aborted;
        if (exchange.Method != "GET")
        {
            exchange.SetResponseHeader("allow", "GET");
            await ResponseWriter.AnthropicErrorAsync(exchange, new AnthropicError(405, "invalid_request_error", $"{exchange.Method} {Path} is not allowed; use GET"), requestId, aborted).ConfigureAwait(false);
            return;
        }

        var auth = await gateway.AuthenticateAsync(exchange, Path, aborted).ConfigureAwait(false);
        if (auth.Outcome != AuthenticationOutcome.Authenticated)
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.Authentication(auth.Reason ?? "a gateway credential is required to read managed settings"), requestId, aborted).ConfigureAwait(false);
            return;
        }

        var document = For(auth.Principal!);
        exchange.SetResponseHeader("etag", document.ETag);

        // Settings are per person's group: never served from a shared cache, always revalidated.
        exchange.SetResponseHeader("cache-control", "private, no-cache");
        if (Matches(exchange.GetHeader("if-none-match"), document.ETag))
        {
            exchange.StatusCode = 304;
            return;
        }

        await ResponseWriter.JsonAsync(exchange, 200, document.Bytes, aborted).ConfigureAwait(false);
    }

    private Document For(Principal principal)
    {
        foreach (var (group, settings) in _byGroup)
        {
            if (principal.IsInGroup(group))
            {
                return settings;
            }
        }

        return Empty;
    }

    /// <summary><c>If-None-Match</c>: <c>*</c> or a list of entity tags; weak comparison as RFC 9110 §13.1.2 requires.</summary>
    internal static bool Matches(string? ifNoneMatch, string etag)
    {
        if (string.IsNullOrWhiteSpace(ifNoneMatch))
        {
            return false;
        }

        foreach (var candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (tag == "*" || string.Equals(tag, etag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Document(byte[] Bytes, string ETag)
    {
        public static Document Of(string json)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            return new Document(bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16)) + "\"");
        }
    }
}
