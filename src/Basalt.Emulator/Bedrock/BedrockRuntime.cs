using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Basalt.Emulator.Faults;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Http;
using Basalt.Emulator.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// Bedrock runtime (bedrock-and-clients §1): <c>POST /model/{modelId}/invoke</c>,
/// <c>/invoke-with-response-stream</c> and <c>/count-tokens</c>. Every call is authenticated (SigV4 with signing
/// name <c>bedrock</c>, or a Bedrock API key as bearer) and recorded in the request log. <c>{modelId}</c> is taken
/// from the raw request target and percent-decoded once, so <c>:</c>/<c>%3A</c> and an ARN's <c>/</c>/<c>%2F</c>
/// all work.
/// </summary>
internal sealed class BedrockRuntime(EmulatorContext emulator, ModelCatalog catalog, ReplyPlanner planner, PacingOptions pacing)
{
    public const string FirstByteDelayHeader = "x-basalt-first-byte-delay-ms";
    public const string TokensPerSecondHeader = "x-basalt-tokens-per-second";
    private const string Service = "bedrock";
    private const string ModelPrefix = "/model/";

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var (modelId, operation) = ParseTarget(context);
        var auth = await emulator.Authenticator.AuthenticateAsync(context, Service, operation);
        if (!auth.Succeeded)
        {
            return;
        }

        var log = new LogScope(emulator, context, auth.Principal!.Arn, auth.Principal.AccountId, operation) { ModelId = modelId };
        try
        {
            await DispatchAsync(context, modelId, operation, started, log);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left (or a stall ended with it): nothing to send, generation is already cancelled.
            log.Record(499, "ClientClosedRequest");
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !context.Response.HasStarted)
        {
            // Whatever a malformed request trips, the caller gets what Bedrock sends (a 500 InternalServerException with
            // X-Amzn-ErrorType and a JSON message), and the call appears in /_emulator/requests, never an empty 500.
            await WriteErrorAsync(context, BedrockError.InternalServer(), log);
        }
    }

    private async Task DispatchAsync(HttpContext context, string? modelId, string operation, long started, LogScope log)
    {
        if (modelId is null || operation == "Unknown")
        {
            await WriteErrorAsync(context, BedrockError.UnknownOperation(), log);
            return;
        }

        var resolution = catalog.Resolve(modelId);
        if (resolution.Error is { } modelError)
        {
            await WriteErrorAsync(context, modelError, log);
            return;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, context.RequestAborted);
        }
        catch (IOException) when (!context.RequestAborted.IsCancellationRequested)
        {
            await WriteErrorAsync(context, BedrockError.Validation($"Input is too long for requested model. The request body limit is {EmulatorHttp.MaxBufferedBody} bytes."), log);
            return;
        }

        var model = resolution.Model!;
        if (!catalog.Options.IsEnabled(log.AccountId, model.Id))
        {
            // What Bedrock answers for a model the account has not enabled (model access).
            await WriteErrorAsync(context, BedrockError.AccessDenied("You don't have access to the model with the specified model ID."), log);
            return;
        }

        if (operation == "CountTokens")
        {
            await CountTokensAsync(context, body, model, log);
            return;
        }

        using var request = AnthropicRequest.Parse(body, model, out var error);
        if (request is null)
        {
            await WriteErrorAsync(context, error!, log);
            return;
        }

        if (model.ContextWindow is { } window && request.InputTokens > window)
        {
            // Anthropic's wording, which Claude Code matches to auto-compact (gateway.md §1.4); Bedrock returns it as a 400.
            await WriteErrorAsync(context, BedrockError.Validation($"prompt is too long: {request.InputTokens} tokens > {window} maximum"), log);
            return;
        }

        var guardrailId = context.Request.Headers["X-Amzn-Bedrock-GuardrailIdentifier"].ToString();
        GuardrailDefinition? guardrail = null;
        if (guardrailId.Length > 0)
        {
            var version = context.Request.Headers["X-Amzn-Bedrock-GuardrailVersion"].ToString();
            guardrail = catalog.Options.Guardrails.FirstOrDefault(g => g.Matches(guardrailId, version));
            if (guardrail is null)
            {
                await WriteErrorAsync(context, BedrockError.Validation("The guardrail identifier or version provided in the request does not exist."), log);
                return;
            }
        }

        var reply = planner.Plan(request);
        if (guardrail is not null)
        {
            var answer = string.Concat(reply.Blocks.OfType<TextBlock>().Select(b => b.Text));
            var blocked = guardrail.Denies(request.PromptText) ? guardrail.BlockedInputMessaging : guardrail.Denies(answer) ? guardrail.BlockedOutputsMessaging : null;
            if (blocked is not null)
            {
                reply = new PlannedReply([new TextBlock(blocked)], "end_turn", null, reply.InputTokens) { GuardrailIntervened = true };
                log.Outcome = "GuardrailIntervened";
            }
        }

        log.InputTokens = reply.InputTokens;
        log.OutputTokens = reply.OutputTokens;
        var (firstByteDelay, tokensPerSecond) = Pacing(context);
        var messageId = MessageId(context);
        if (operation == "InvokeModel")
        {
            await InvokeAsync(context, reply, model, messageId, started, firstByteDelay, tokensPerSecond);
            log.Record(200, log.Outcome ?? RequestLogEntry.SuccessOutcome);
        }
        else
        {
            await StreamAsync(context, reply, model, messageId, started, firstByteDelay, tokensPerSecond, log);
        }
    }

    private static async Task InvokeAsync(HttpContext context, PlannedReply reply, BedrockModelDefinition model, string messageId, long started, TimeSpan firstByteDelay, double tokensPerSecond)
    {
        var total = firstByteDelay + StreamPacer.Duration(reply.OutputTokens, tokensPerSecond);
        if (total > TimeSpan.Zero)
        {
            await Task.Delay(total, context.RequestAborted);
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            AnthropicJson.WriteMessage(writer, reply, messageId, model.ResponseName);
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        response.Headers["x-amzn-RequestId"] = EmulatorHttp.RequestId(context);
        response.Headers["X-Amzn-Bedrock-Input-Token-Count"] = reply.InputTokens.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Amzn-Bedrock-Output-Token-Count"] = reply.OutputTokens.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Amzn-Bedrock-Invocation-Latency"] = ElapsedMs(started).ToString(CultureInfo.InvariantCulture);
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static async Task StreamAsync(HttpContext context, PlannedReply reply, BedrockModelDefinition model, string messageId, long started, TimeSpan firstByteDelay, double tokensPerSecond, LogScope log)
    {
        var ct = context.RequestAborted;
        if (firstByteDelay > TimeSpan.Zero)
        {
            await Task.Delay(firstByteDelay, ct);
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/vnd.amazon.eventstream";
        response.Headers["X-Amzn-Bedrock-Content-Type"] = "application/json";
        response.Headers["x-amzn-RequestId"] = EmulatorHttp.RequestId(context);
        // Frames must reach the client as they are written, whatever server-side buffering is configured.
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var writer = new BedrockEventStreamWriter(context, context.Features.Get<StreamFaultFeature>()?.Spec);
        try
        {
            await WriteStreamAsync(writer, reply, model, messageId, started, tokensPerSecond, ct);
        }
        catch (OperationCanceledException) when (writer.FaultOutcome is { } outcome)
        {
            // A reset or an open stall ended the request on purpose: log the fault, not a client disconnect.
            log.Record(200, outcome);
            throw;
        }

        log.Record(200, writer.FaultOutcome ?? log.Outcome ?? RequestLogEntry.SuccessOutcome);
    }

    private static async Task WriteStreamAsync(BedrockEventStreamWriter writer, PlannedReply reply, BedrockModelDefinition model, string messageId, long started, double tokensPerSecond, CancellationToken ct)
    {
        var firstByte = ElapsedMs(started);
        await writer.WriteEventAsync((reply, messageId, model.ResponseName), static (w, s) => AnthropicJson.WriteMessageStart(w, s.reply, s.messageId, s.ResponseName), ct);
        var pacer = new StreamPacer(tokensPerSecond);
        for (var index = 0; index < reply.Blocks.Count && writer.IsOpen; index++)
        {
            var block = reply.Blocks[index];
            await writer.WriteEventAsync((index, block), static (w, s) => AnthropicJson.WriteContentBlockStart(w, s.index, s.block), ct);
            var (deltaType, field, text) = block switch
            {
                ThinkingBlock t => ("thinking_delta", "thinking", t.Thinking),
                ToolUseBlock u => ("input_json_delta", "partial_json", u.InputJson),
                TextBlock x => ("text_delta", "text", x.Text),
                _ => throw new InvalidOperationException($"unexpected block {block.GetType().Name}"),
            };
            var bytesLeft = block.OutputBytes;
            foreach (var piece in TextChunker.Split(text))
            {
                if (!writer.IsOpen)
                {
                    break;
                }

                var pieceBytes = TokenCounter.Bytes(piece);
                bytesLeft -= pieceBytes;
                await pacer.WaitAsync(pieceBytes, ct);
                await writer.WriteEventAsync((index, deltaType, field, piece), static (w, s) => AnthropicJson.WriteDelta(w, s.index, s.deltaType, s.field, s.piece), ct);
            }

            // A tool_use name counts as output too (TokenCounter); pace it so the total duration matches non-stream.
            await pacer.WaitAsync(Math.Max(0, bytesLeft), ct);
            if (block is ThinkingBlock thinking)
            {
                await writer.WriteEventAsync((index, thinking.Signature), static (w, s) => AnthropicJson.WriteDelta(w, s.index, "signature_delta", "signature", s.Signature), ct);
            }

            await writer.WriteEventAsync(index, static (w, i) => AnthropicJson.WriteContentBlockStop(w, i), ct);
        }

        await writer.WriteEventAsync(reply, static (w, r) => AnthropicJson.WriteMessageDelta(w, r), ct);
        await writer.WriteEventAsync((reply, started, firstByte), static (w, s) => AnthropicJson.WriteMessageStop(w, s.reply, ElapsedMs(s.started), s.firstByte), ct);
        await writer.CompleteAsync(ct);
    }

    private static async Task CountTokensAsync(HttpContext context, byte[] body, BedrockModelDefinition model, LogScope log)
    {
        int tokens;
        using (var wrapper = TryParseJson(body))
        {
            if (wrapper is null || wrapper.RootElement.ValueKind != JsonValueKind.Object
                || !wrapper.RootElement.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object)
            {
                await WriteErrorAsync(context, BedrockError.Validation("1 validation error detected: Value null at 'input' failed to satisfy constraint: Member must not be null"), log);
                return;
            }

            if (input.TryGetProperty("invokeModel", out var invoke) && invoke.ValueKind == JsonValueKind.Object)
            {
                byte[] inner;
                try
                {
                    inner = invoke.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetBytesFromBase64() : [];
                }
                catch (FormatException)
                {
                    inner = [];
                }

                using var request = AnthropicRequest.Parse(inner, model, out var error);
                if (request is null)
                {
                    await WriteErrorAsync(context, error!, log);
                    return;
                }

                tokens = request.InputTokens;
            }
            else if (input.TryGetProperty("converse", out var converse) && converse.ValueKind == JsonValueKind.Object)
            {
                if (!converse.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
                {
                    await WriteErrorAsync(context, BedrockError.Validation("A conversation must start with a user message. Try again with a conversation that starts with a user message."), log);
                    return;
                }

                tokens = TokenCounter.CountConverseInput(converse);
            }
            else
            {
                await WriteErrorAsync(context, BedrockError.Validation("1 validation error detected: 'input' must set exactly one of invokeModel or converse"), log);
                return;
            }
        }

        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w => w.WriteNumber("inputTokens", tokens));
        log.Record(200, RequestLogEntry.SuccessOutcome);
    }

    /// <summary>
    /// The request body. SigV4 authentication has already buffered it (seekable) and it is re-read from the start;
    /// a bearer-authenticated body is read once, sized by Content-Length, without the 1 MiB rented buffer that
    /// request buffering would hold per in-flight request.
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.Body.CanSeek)
        {
            return await EmulatorHttp.ReadBodyAsync(request, cancellationToken);
        }

        if (request.ContentLength is { } length and <= EmulatorHttp.MaxBufferedBody)
        {
            var exact = new byte[length];
            await request.Body.ReadExactlyAsync(exact, cancellationToken);
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > EmulatorHttp.MaxBufferedBody)
            {
                throw new IOException("request body over the Bedrock limit");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static JsonDocument? TryParseJson(byte[] body)
    {
        try
        {
            return System.Text.Unicode.Utf8.IsValid(body) ? JsonDocument.Parse(body) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static Task WriteErrorAsync(HttpContext context, BedrockError error, LogScope log)
    {
        log.Record(error.Status, error.Code, error.Message);
        context.Response.Headers["x-amzn-RequestId"] = EmulatorHttp.RequestId(context);
        return AwsErrors.WriteJsonErrorAsync(context, error.Status, error.Code, error.Message, BedrockError.CoralNamespace);
    }

    /// <summary>
    /// Splits <c>/model/{modelId}/{action}</c> using the raw target: Kestrel leaves <c>%2F</c> encoded in the path
    /// but decodes <c>%3A</c>, so decoding the raw segment once treats every client the same.
    /// </summary>
    internal static (string? ModelId, string Operation) ParseTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || !raw.StartsWith('/'))
        {
            raw = context.Request.Path.Value ?? string.Empty;
        }

        var q = raw.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? raw : raw[..q];
        var slash = path.LastIndexOf('/');
        if (!path.StartsWith(ModelPrefix, StringComparison.Ordinal) || slash < ModelPrefix.Length + 1)
        {
            return (null, "Unknown");
        }

        var operation = path[(slash + 1)..] switch
        {
            "invoke" => "InvokeModel",
            "invoke-with-response-stream" => "InvokeModelWithResponseStream",
            "count-tokens" => "CountTokens",
            _ => "Unknown",
        };
        return (Uri.UnescapeDataString(path[ModelPrefix.Length..slash]), operation);
    }

    private (TimeSpan FirstByte, double TokensPerSecond) Pacing(HttpContext context)
    {
        var headers = context.Request.Headers;
        var firstByte = int.TryParse(headers[FirstByteDelayHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 600_000
            ? TimeSpan.FromMilliseconds(ms)
            : pacing.FirstByteDelay;
        var rate = double.TryParse(headers[TokensPerSecondHeader], NumberStyles.Float, CultureInfo.InvariantCulture, out var tps) && tps >= 0 && double.IsFinite(tps)
            ? tps
            : pacing.TokensPerSecond;
        return (firstByte, rate);
    }

    /// <summary>Bedrock message ids look like <c>msg_bdrk_01…</c>; derived from the request id so logs line up.</summary>
    private static string MessageId(HttpContext context) => "msg_bdrk_01" + EmulatorHttp.RequestId(context).Replace("-", string.Empty, StringComparison.Ordinal)[..22];

    private static long ElapsedMs(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>Records one outcome per request in the emulator's request log.</summary>
    internal sealed class LogScope(EmulatorContext emulator, HttpContext context, string? principalArn, string? accountId, string operation)
    {
        private bool _recorded;

        /// <summary>The caller's account (model access is per account).</summary>
        public string? AccountId => accountId;

        /// <summary>The model the call named, recorded with it.</summary>
        public string? ModelId { get; init; }

        /// <summary>The answer's billed tokens, once planned (issue 10 tests count usage against these).</summary>
        public long? InputTokens { get; set; }

        public long? OutputTokens { get; set; }

        /// <summary>A successful call's outcome when it is not plain success (a guardrail intervened).</summary>
        public string? Outcome { get; set; }

        public void Record(int status, string outcome, string? message = null)
        {
            if (_recorded)
            {
                return;
            }

            _recorded = true;
            emulator.Log.Record(new RequestLogEntry(emulator.Time.GetUtcNow(), principalArn, accountId, Service, operation, outcome, status, EmulatorHttp.RequestId(context))
            {
                ModelId = ModelId,
                Message = message,
                InputTokens = status == 200 ? InputTokens : null,
                OutputTokens = status == 200 ? OutputTokens : null,
            });
        }
    }
}
