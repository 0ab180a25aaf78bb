using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Basalt.Bedrock;

/// <summary>
/// The Bedrock control-plane calls Basalt needs (spec bedrock-and-clients §2): ListInferenceProfiles and
/// ListFoundationModels with <c>nextToken</c> pagination, and Claude model discovery built on them.
/// </summary>
public sealed class BedrockControlPlaneClient
{
    /// <summary>A listing that never ends (a server repeating tokens) stops here.</summary>
    private const int MaxPages = 1000;

    private readonly BedrockTransport _transport;

    public BedrockControlPlaneClient(HttpClient httpClient, BedrockClientOptions options) => _transport = new BedrockTransport(httpClient, options);

    public BedrockClientOptions Options => _transport.Options;

    /// <summary>One page of <c>GET /inference-profiles</c>; <paramref name="type"/> is <c>SYSTEM_DEFINED</c> or <c>APPLICATION</c>.</summary>
    public async Task<BedrockPage<BedrockInferenceProfile>> ListInferenceProfilesPageAsync(string? type = null, string? nextToken = null, int? maxResults = null, CancellationToken cancellationToken = default)
    {
        var query = Query(("maxResults", maxResults?.ToString(CultureInfo.InvariantCulture)), ("nextToken", nextToken), ("type", type));
        using var doc = await GetAsync("ListInferenceProfiles", "/inference-profiles" + query, cancellationToken).ConfigureAwait(false);
        var items = new List<BedrockInferenceProfile>();
        if (doc.RootElement.TryGetProperty("inferenceProfileSummaries", out var summaries) && summaries.ValueKind == JsonValueKind.Array)
        {
            foreach (var s in summaries.EnumerateArray())
            {
                var models = s.TryGetProperty("models", out var m) && m.ValueKind == JsonValueKind.Array
                    ? m.EnumerateArray().Select(x => String(x, "modelArn")).OfType<string>().ToList()
                    : [];
                items.Add(new BedrockInferenceProfile(
                    String(s, "inferenceProfileId") ?? string.Empty,
                    String(s, "inferenceProfileName"),
                    String(s, "inferenceProfileArn"),
                    String(s, "type"),
                    String(s, "status"),
                    String(s, "description"),
                    models));
            }
        }

        return new BedrockPage<BedrockInferenceProfile>(items, NextToken(doc));
    }

    /// <summary>All inference profiles, following <c>nextToken</c>.</summary>
    public async IAsyncEnumerable<BedrockInferenceProfile> ListInferenceProfilesAsync(string? type = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; page < MaxPages; page++)
        {
            var result = await ListInferenceProfilesPageAsync(type, token, null, cancellationToken).ConfigureAwait(false);
            foreach (var item in result.Items)
            {
                yield return item;
            }

            token = result.NextToken;
            if (token is null || !seen.Add(token))
            {
                yield break;
            }
        }
    }

    /// <summary>One page of <c>GET /foundation-models</c> with the optional filters.</summary>
    public async Task<BedrockPage<BedrockFoundationModel>> ListFoundationModelsPageAsync(string? byProvider = null, string? byInferenceType = null, string? byOutputModality = null, string? nextToken = null, CancellationToken cancellationToken = default)
    {
        var query = Query(("byInferenceType", byInferenceType), ("byOutputModality", byOutputModality), ("byProvider", byProvider), ("nextToken", nextToken));
        using var doc = await GetAsync("ListFoundationModels", "/foundation-models" + query, cancellationToken).ConfigureAwait(false);
        var items = new List<BedrockFoundationModel>();
        if (doc.RootElement.TryGetProperty("modelSummaries", out var summaries) && summaries.ValueKind == JsonValueKind.Array)
        {
            foreach (var s in summaries.EnumerateArray())
            {
                items.Add(new BedrockFoundationModel(
                    String(s, "modelId") ?? string.Empty,
                    String(s, "modelArn"),
                    String(s, "modelName"),
                    String(s, "providerName"),
                    Strings(s, "inputModalities"),
                    Strings(s, "outputModalities"),
                    s.TryGetProperty("responseStreamingSupported", out var streaming) && streaming.ValueKind is JsonValueKind.True or JsonValueKind.False ? streaming.GetBoolean() : null,
                    Strings(s, "inferenceTypesSupported"),
                    s.TryGetProperty("modelLifecycle", out var lifecycle) && lifecycle.ValueKind == JsonValueKind.Object ? String(lifecycle, "status") : null));
            }
        }

        return new BedrockPage<BedrockFoundationModel>(items, NextToken(doc));
    }

    /// <summary>All foundation models matching the filters, following <c>nextToken</c> when the server pages.</summary>
    public async IAsyncEnumerable<BedrockFoundationModel> ListFoundationModelsAsync(string? byProvider = null, string? byInferenceType = null, string? byOutputModality = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; page < MaxPages; page++)
        {
            var result = await ListFoundationModelsPageAsync(byProvider, byInferenceType, byOutputModality, token, cancellationToken).ConfigureAwait(false);
            foreach (var item in result.Items)
            {
                yield return item;
            }

            token = result.NextToken;
            if (token is null || !seen.Add(token))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The Claude models usable in the client's region, ordered as <see cref="ClaudeModelDiscovery.Rank"/> says:
    /// what Cowork offers when no model list is configured.
    /// </summary>
    public async Task<IReadOnlyList<ClaudeModelOption>> DiscoverClaudeModelsAsync(CancellationToken cancellationToken = default)
    {
        var profiles = new List<BedrockInferenceProfile>();
        await foreach (var p in ListInferenceProfilesAsync(null, cancellationToken).ConfigureAwait(false))
        {
            profiles.Add(p);
        }

        var models = new List<BedrockFoundationModel>();
        await foreach (var m in ListFoundationModelsAsync("Anthropic", null, null, cancellationToken).ConfigureAwait(false))
        {
            models.Add(m);
        }

        return ClaudeModelDiscovery.Rank(profiles, models, Options.Region);
    }

    private async Task<JsonDocument> GetAsync(string operation, string pathAndQuery, CancellationToken cancellationToken)
    {
        var uri = BedrockTransport.Combine(Options.EffectiveControlPlaneEndpoint, pathAndQuery);
        using var response = await _transport.SendAsync(operation, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
        var body = await BedrockTransport.ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new BedrockException(operation, (int)response.StatusCode, "SerializationException", "the response is not JSON", Encoding.UTF8.GetString(body), e);
        }
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private static string? NextToken(JsonDocument doc) => String(doc.RootElement, "nextToken") is { Length: > 0 } token ? token : null;

    private static string? String(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];
}
