using Basalt.Bedrock;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Upstream;

namespace Basalt.Gateway.Health;

/// <summary>
/// <c>basalt gateway check</c>'s upstream probe (issue 8 item 8): for each upstream, can the gateway's own
/// credentials be obtained, and does Bedrock accept them (a free, read-only <c>ListFoundationModels</c>)?
/// Messages name the upstream and what failed, never a secret.
/// </summary>
public static class UpstreamProbe
{
    public static async Task<IReadOnlyList<UpstreamProbeResult>> ProbeAsync(GatewayOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<UpstreamProbeResult>();
        foreach (var upstream in options.Upstreams.Values)
        {
            using var client = new UpstreamClient(upstream, options.Failover, time ?? TimeProvider.System);
            var problem = await client.CheckCredentialsAsync(cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                results.Add(new UpstreamProbeResult(upstream.Name, false, $"credentials: {problem}"));
                continue;
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                var control = new BedrockControlPlaneClient(client.Http, client.Options(null));
                var page = await control.ListFoundationModelsPageAsync(byProvider: "Anthropic", cancellationToken: timeout.Token).ConfigureAwait(false);
                results.Add(new UpstreamProbeResult(upstream.Name, true, $"Bedrock answered in {upstream.Region} ({page.Items.Count} Anthropic models listed)"));
            }
            catch (BedrockException e)
            {
                results.Add(new UpstreamProbeResult(upstream.Name, false, $"Bedrock refused the call: HTTP {e.StatusCode} {e.ErrorType}{(e.ErrorMessage is null ? string.Empty : ": " + e.ErrorMessage)}"));
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                results.Add(new UpstreamProbeResult(upstream.Name, false, $"cannot reach {upstream.ControlPlaneEndpoint?.ToString() ?? upstream.Region}: {e.Message}"));
            }
        }

        return results;
    }
}
