using System.Globalization;

namespace Basalt.Bedrock;

/// <summary>A successful InvokeModel answer: the model's JSON body and the Bedrock response headers.</summary>
public sealed class BedrockResponse
{
    internal BedrockResponse(int statusCode, byte[] body, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        StatusCode = statusCode;
        Body = body;
        Headers = headers;
    }

    public int StatusCode { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public string? ContentType => Header("Content-Type");

    public string? RequestId => Header(BedrockHeaders.RequestId);

    public int? InputTokenCount => Number(BedrockHeaders.InputTokenCount);

    public int? OutputTokenCount => Number(BedrockHeaders.OutputTokenCount);

    /// <summary>Milliseconds, as Bedrock reports in <c>x-amzn-bedrock-invocation-latency</c>.</summary>
    public int? InvocationLatencyMilliseconds => Number(BedrockHeaders.InvocationLatency);

    public string? Header(string name)
        => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private int? Number(string name)
        => int.TryParse(Header(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
