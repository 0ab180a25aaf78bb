using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.Http;

/// <summary>Per-request plumbing shared by every emulated service: the request id and the emulator's clock.</summary>
internal static class EmulatorHttp
{
    private const string RequestIdKey = "basalt.emulator.request-id";

    /// <summary>Largest request body the emulator buffers for signature checks (Bedrock's own limit is 25,000,000 bytes; spec §1).</summary>
    public const int MaxBufferedBody = 25_000_000;

    public static string RequestId(HttpContext context)
    {
        if (context.Items.TryGetValue(RequestIdKey, out var value) && value is string id)
        {
            return id;
        }

        id = Guid.NewGuid().ToString();
        context.Items[RequestIdKey] = id;
        return id;
    }

    /// <summary>
    /// Gives every response an <c>x-amzn-RequestId</c> and a <c>Date</c> from the emulator's clock: the AWS SDKs
    /// correct their clock skew from <c>Date</c>, so a test that moves the clock moves the clients with it.
    /// </summary>
    public static Func<HttpContext, RequestDelegate, Task> Middleware(TimeProvider time) => (context, next) =>
    {
        var id = RequestId(context);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["x-amzn-RequestId"] = id;
            context.Response.Headers.Date = time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        return next(context);
    };

    /// <summary>Reads the whole body (SigV4 signs its hash), keeping it readable for later handlers.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxBufferedBody);
        request.Body.Position = 0;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        request.Body.Position = 0;
        return buffer.ToArray();
    }
}
