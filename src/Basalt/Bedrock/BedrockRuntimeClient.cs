using System.Net.Http.Headers;
using System.Text.Json;
using Basalt.Aws.EventStream;

namespace Basalt.Bedrock;

/// <summary>
/// A small Amazon Bedrock runtime client (spec bedrock-and-clients §1): InvokeModel,
/// InvokeModelWithResponseStream and CountTokens over SigV4 or a Bedrock API key, with safe retries.
/// The model id is URL-encoded into the path (<c>:</c> → <c>%3A</c>, an ARN's <c>/</c> → <c>%2F</c>), as the AWS SDKs do.
/// </summary>
public sealed class BedrockRuntimeClient
{
    private readonly BedrockTransport _transport;

    public BedrockRuntimeClient(HttpClient httpClient, BedrockClientOptions options) => _transport = new BedrockTransport(httpClient, options);

    public BedrockClientOptions Options => _transport.Options;

    /// <summary>Limits applied to streamed frames.</summary>
    public EventStreamLimits StreamLimits { get; init; } = EventStreamLimits.Default;

    /// <summary>The URL of an operation on a model, e.g. <c>…/model/us.anthropic.claude-x-v1%3A0/invoke</c>.</summary>
    public Uri OperationUri(string modelId, string operation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return BedrockTransport.Combine(Options.EffectiveRuntimeEndpoint, $"/model/{Uri.EscapeDataString(modelId)}/{operation}");
    }

    public async Task<BedrockResponse> InvokeModelAsync(BedrockInvokeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await _transport.SendAsync("InvokeModel", () => Build(request, "invoke", streaming: false), cancellationToken).ConfigureAwait(false);
        var body = await BedrockTransport.ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        return new BedrockResponse((int)response.StatusCode, body, BedrockErrorParser.AllHeaders(response));
    }

    /// <summary>
    /// Starts a streamed invocation and returns once the response headers arrived (retrying only before that).
    /// Dispose the result to close the connection.
    /// </summary>
    public async Task<BedrockStreamResponse> InvokeModelWithResponseStreamAsync(BedrockInvokeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await _transport.SendAsync("InvokeModelWithResponseStream", () => Build(request, "invoke-with-response-stream", streaming: true), cancellationToken).ConfigureAwait(false);
        return new BedrockStreamResponse(response, StreamLimits);
    }

    /// <summary>
    /// Counts the input tokens of an InvokeModel body (<c>POST /model/{id}/count-tokens</c> with
    /// <c>{"input":{"invokeModel":{"body":"&lt;base64&gt;"}}}</c>, as the AWS SDK sends it).
    /// </summary>
    public async Task<int> CountTokensAsync(string modelId, ReadOnlyMemory<byte> invokeModelBody, CancellationToken cancellationToken = default)
    {
        using var payload = new MemoryStream();
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("input");
            writer.WriteStartObject("invokeModel");
            writer.WriteBase64String("body", invokeModelBody.Span);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        var body = payload.ToArray();
        using var response = await _transport.SendAsync(
            "CountTokens",
            () => new HttpRequestMessage(HttpMethod.Post, OperationUri(modelId, "count-tokens")) { Content = JsonContent(body, "application/json") },
            cancellationToken).ConfigureAwait(false);
        var answer = await BedrockTransport.ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(answer);
        return doc.RootElement.TryGetProperty("inputTokens", out var tokens) && tokens.TryGetInt32(out var n)
            ? n
            : throw new BedrockException("CountTokens", (int)response.StatusCode, "SerializationException", "the response has no inputTokens", System.Text.Encoding.UTF8.GetString(answer));
    }

    private HttpRequestMessage Build(BedrockInvokeRequest request, string operation, bool streaming)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, OperationUri(request.ModelId, operation))
        {
            Content = JsonContent(request.Body, request.ContentType),
        };
        if (streaming)
        {
            Add(message, BedrockHeaders.Accept, request.Accept);
        }
        else
        {
            Add(message, "Accept", request.Accept);
        }

        Add(message, BedrockHeaders.ServiceTier, request.ServiceTier);
        Add(message, BedrockHeaders.GuardrailIdentifier, request.GuardrailIdentifier);
        Add(message, BedrockHeaders.GuardrailVersion, request.GuardrailVersion);
        Add(message, BedrockHeaders.Trace, request.Trace);
        Add(message, BedrockHeaders.PerformanceConfigLatency, request.PerformanceConfigLatency);
        Add(message, BedrockHeaders.RequestMetadata, request.RequestMetadata);
        foreach (var (name, value) in request.AdditionalHeaders)
        {
            Add(message, name, value);
        }

        return message;
    }

    private static ReadOnlyMemoryContent JsonContent(ReadOnlyMemory<byte> body, string contentType)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static void Add(HttpRequestMessage message, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
