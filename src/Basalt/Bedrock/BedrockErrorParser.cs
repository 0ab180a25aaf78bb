using System.Text;
using System.Text.Json;

namespace Basalt.Bedrock;

/// <summary>Reads an AWS rest-json error the way the SDKs do (spec bedrock-and-clients §1, "Errors").</summary>
internal static class BedrockErrorParser
{
    /// <summary>Error bodies are small; a larger one is cut here so a misbehaving server cannot exhaust memory.</summary>
    public const int MaxErrorBody = 1024 * 1024;

    public static (string ErrorType, string? Message) Parse(string? errorTypeHeader, ReadOnlySpan<byte> body)
    {
        string? type = Sanitize(errorTypeHeader);
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }

                    switch (property.Name)
                    {
                        case "message" or "Message" or "errorMessage":
                            message ??= property.Value.GetString();
                            break;
                        case "__type" or "code" or "Code":
                            type ??= Sanitize(property.Value.GetString());
                            break;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the raw body still travels in the exception.
        }

        return (type ?? "UnknownError", message);
    }

    public static BedrockException FromResponse(string operation, HttpResponseMessage response, byte[] body, DateTimeOffset now)
    {
        var header = response.Headers.TryGetValues(BedrockHeaders.ErrorType, out var values) ? values.FirstOrDefault() : null;
        var (type, message) = Parse(header, body);
        return new BedrockException(operation, (int)response.StatusCode, type, message, Encoding.UTF8.GetString(body))
        {
            RawErrorType = header,
            RequestId = RequestId(response),
            RetryAfter = BedrockRetryPolicy.RetryAfter(response.Headers, now),
            ResponseContentType = response.Content.Headers.ContentType?.ToString(),
            Headers = AllHeaders(response),
        };
    }

    public static string? RequestId(HttpResponseMessage response)
        => response.Headers.TryGetValues(BedrockHeaders.RequestId, out var id) ? id.FirstOrDefault() : null;

    public static IReadOnlyList<KeyValuePair<string, string>> AllHeaders(HttpResponseMessage response)
        => [.. response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated).Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()))];

    /// <summary><c>ThrottlingException:http://…</c> and <c>com.amazon.coral.service#ExpiredTokenException</c> both become the short name.</summary>
    private static string? Sanitize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = raw.Trim();
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            value = value[..colon];
        }

        var hash = value.LastIndexOf('#');
        return hash >= 0 ? value[(hash + 1)..] : value;
    }
}
