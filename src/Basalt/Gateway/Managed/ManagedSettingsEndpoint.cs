using Basalt.Gateway.Anthropic;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Hosting;
using Basalt.Identity;

namespace Basalt.Gateway.Managed;

/// <summary>
/// <c>GET /managed/settings</c>: the Claude Code managed settings of the caller's group (generated from the
/// deployment file by <c>basalt deploy generate</c> into <c>groups.NAME.managedSettings</c>), in the shape Claude
/// Code reads after its own gateway sign-in (docs/claude-code-gateway-signin.md; the gateway contract embedded in
/// Claude Code 2.1.332, "Managed settings"): <c>{"uuid","checksum","settings"}</c> — a 200 without that wrapper
/// counts as a failed fetch there. The checksum is what the client computes over the settings it holds and sends
/// back as <c>If-None-Match</c>, so an unchanged poll is a 304 (<see cref="ManagedSettingsDocument"/>).
/// The caller's first group, in the order the configuration lists groups, that has settings wins; a caller whose
/// groups have none gets 404 ("no managed policy", which the client treats as a clean "nothing here").
/// Settings are read from the running configuration on each request, so a SIGHUP reload that changes a group's
/// settings changes the next answer and its ETag.
/// </summary>
internal sealed class ManagedSettingsEndpoint(EndpointServices services)
{
    public const string Path = "/managed/settings";

    private Snapshot? _snapshot;

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

        // Settings are per person's group: never served from a shared cache, always revalidated.
        exchange.SetResponseHeader("cache-control", "private, no-cache");
        if (For(auth.Principal!) is not { } document)
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.NotFound("no managed settings for your groups at this gateway"), requestId, aborted).ConfigureAwait(false);
            return;
        }

        exchange.SetResponseHeader("etag", document.ETag);
        if (Matches(exchange.GetHeader("if-none-match"), document.ETag))
        {
            exchange.StatusCode = 304;
            return;
        }

        await ResponseWriter.JsonAsync(exchange, 200, document.Body, aborted).ConfigureAwait(false);
    }

    private ManagedSettingsDocument? For(Principal principal)
    {
        foreach (var (group, settings) in Current().ByGroup)
        {
            if (principal.IsInGroup(group))
            {
                return settings;
            }
        }

        return null;
    }

    /// <summary>The documents of the running configuration, rebuilt once after a reload swaps it.</summary>
    private Snapshot Current()
    {
        var options = services.Options;
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || !ReferenceEquals(snapshot.Options, options))
        {
            snapshot = new Snapshot(options, [.. options.Groups.Values.Where(g => g.ManagedSettings is not null).Select(g => (g.Name, ManagedSettingsDocument.Create(g.Name, g.ManagedSettings!)))]);
            Volatile.Write(ref _snapshot, snapshot);
        }

        return snapshot;
    }

    /// <summary>
    /// <c>If-None-Match</c>: a list of entity tags, weak comparison (RFC 9110 §13.1.2). <c>*</c> is not a match here:
    /// Claude Desktop sends <c>If-None-Match: *</c> only to ask whether settings exist for a session, and the client
    /// contract says to answer it as if the header were absent — a 304 would tell Desktop "settings exist".
    /// </summary>
    internal static bool Matches(string? ifNoneMatch, string etag)
    {
        if (string.IsNullOrWhiteSpace(ifNoneMatch))
        {
            return false;
        }

        foreach (var candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            if (string.Equals(tag, etag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Snapshot(GatewayOptions Options, List<(string Group, ManagedSettingsDocument Settings)> ByGroup);
}
