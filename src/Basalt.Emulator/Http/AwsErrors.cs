using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.Http;

/// <summary>
/// AWS error responses in each protocol the emulator speaks, shaped like the real services so that the SDKs'
/// deserializers find the code (spec §1, §4): awsQuery XML <c>ErrorResponse</c> (STS), rest-json with
/// <c>X-Amzn-ErrorType</c> and <c>{"message"}</c> (Bedrock, the SSO portal), and OAuth-style
/// <c>{"error","error_description"}</c> with <c>X-Amzn-ErrorType</c> (IAM Identity Center OIDC).
/// </summary>
internal static class AwsErrors
{
    public const string StsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    /// <summary>Coral's namespace for errors raised before a request reaches the service (authentication).</summary>
    public const string CoralServiceNamespace = "http://internal.amazon.com/coral/com.amazon.coral.service/";

    public static async Task WriteQueryErrorAsync(HttpContext context, int status, string code, string message, bool senderFault = true)
    {
        var requestId = EmulatorHttp.RequestId(context);
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, OmitXmlDeclaration = true, Async = true };
        using var buffer = new MemoryStream();
        await using (var xml = XmlWriter.Create(buffer, settings))
        {
            await xml.WriteStartElementAsync(null, "ErrorResponse", StsNamespace);
            await xml.WriteStartElementAsync(null, "Error", StsNamespace);
            await xml.WriteElementStringAsync(null, "Type", StsNamespace, senderFault ? "Sender" : "Receiver");
            await xml.WriteElementStringAsync(null, "Code", StsNamespace, code);
            await xml.WriteElementStringAsync(null, "Message", StsNamespace, message);
            await xml.WriteEndElementAsync();
            await xml.WriteElementStringAsync(null, "RequestId", StsNamespace, requestId);
            await xml.WriteEndElementAsync();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }

    /// <summary>
    /// A rest-json error. <paramref name="errorTypeNamespace"/> is appended to the code in <c>X-Amzn-ErrorType</c>
    /// as AWS does (<c>Code:namespace</c>); the SDKs strip it.
    /// </summary>
    public static Task WriteJsonErrorAsync(HttpContext context, int status, string code, string message, string? errorTypeNamespace = null, Action<Utf8JsonWriter>? extraFields = null)
    {
        context.Response.Headers["x-amzn-ErrorType"] = errorTypeNamespace is null ? code : $"{code}:{errorTypeNamespace}";
        return WriteJsonAsync(context, status, "application/json", writer =>
        {
            writer.WriteString("message", message);
            extraFields?.Invoke(writer);
        });
    }

    /// <summary>IAM Identity Center OIDC errors: <c>{"error":"authorization_pending","error_description":...}</c>, code in <c>X-Amzn-ErrorType</c>.</summary>
    public static Task WriteOidcErrorAsync(HttpContext context, int status, string exceptionName, string error, string description)
    {
        context.Response.Headers["x-amzn-ErrorType"] = exceptionName;
        return WriteJsonAsync(context, status, "application/json", writer =>
        {
            writer.WriteString("error", error);
            writer.WriteString("error_description", description);
        });
    }

    public static async Task WriteJsonAsync(HttpContext context, int status, string contentType, Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }
}
