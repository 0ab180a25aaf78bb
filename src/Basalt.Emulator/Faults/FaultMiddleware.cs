using Basalt.Emulator.Http;
using Basalt.Emulator.Logging;
using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.Faults;

/// <summary>
/// Injects faults before a request reaches its service (docs/emulator.md, "Faults"). Whole-response faults
/// (429/500/503/403 and Bedrock's 408/429 model errors) are answered here in the called service's protocol and
/// recorded in the request log, so a test can count an SDK's retries; a slow first byte waits and then lets the
/// request through; stream faults are handed to the Bedrock stream writer through <see cref="StreamFaultFeature"/>.
/// </summary>
internal sealed class FaultMiddleware(RequestDelegate next, FaultInjector injector, RequestLog? log, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var operation = EmulatedOperation.Classify(context.Request);
        if (operation.Service == EmulatedService.None)
        {
            await next(context);
            return;
        }

        FaultSpec? spec = null;
        if (injector.Options.AllowHeader && context.Request.Headers.TryGetValue(FaultSpec.HeaderName, out var header))
        {
            if (!FaultSpec.TryParse(header.ToString(), out spec, out var error))
            {
                await AwsErrors.WriteJsonErrorAsync(context, StatusCodes.Status400BadRequest, "ValidationException", $"invalid {FaultSpec.HeaderName} header: {error}");
                Record(context, operation, StatusCodes.Status400BadRequest, "ValidationException");
                return;
            }
        }

        if (spec is null && injector.Options.Rules.Count > 0)
        {
            if (operation.Service == EmulatedService.Sts && operation.Operation.Length == 0 && injector.NeedsStsOperation)
            {
                operation = operation with { Operation = await ReadStsActionAsync(context.Request, context.RequestAborted) };
            }

            spec = injector.FromRules(operation);
        }

        if (spec is null)
        {
            await next(context);
            return;
        }

        switch (spec.Kind)
        {
            case FaultKind.SlowFirstByte:
                await DelayAsync(spec.Delay ?? TimeSpan.FromSeconds(5), context.RequestAborted);
                break;
            case FaultKind.Reset when !operation.IsStream:
                Record(context, operation, 0, "ConnectionReset");
                context.Abort();
                return;
            case FaultKind.Stall when !operation.IsStream:
                await DelayAsync(spec.Delay ?? Timeout.InfiniteTimeSpan, context.RequestAborted);
                break;
            case FaultKind.StreamException or FaultKind.Reset or FaultKind.Stall when operation.IsStream:
                context.Features.Set(new StreamFaultFeature(spec));
                break;
            default:
                await FaultResponses.WriteAsync(context, operation, spec, out var status, out var code);
                Record(context, operation, status, code);
                return;
        }

        if (!context.RequestAborted.IsCancellationRequested)
        {
            await next(context);
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The client left while we were stalling: nothing more to send.
        }
    }

    private static async Task<string> ReadStsActionAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return string.Empty;
        }

        // Keep the body readable for the STS handler (it hashes the body to check SigV4).
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: EmulatorHttp.MaxBufferedBody);
        var form = await request.ReadFormAsync(cancellationToken);
        request.Body.Position = 0;
        return form.TryGetValue("Action", out var action) ? action.ToString() : string.Empty;
    }

    private void Record(HttpContext context, EmulatedOperation operation, int status, string code)
        => log?.Record(new RequestLogEntry(time.GetUtcNow(), null, null, operation.LogServiceName, operation.Operation, code, status, EmulatorHttp.RequestId(context)));
}
