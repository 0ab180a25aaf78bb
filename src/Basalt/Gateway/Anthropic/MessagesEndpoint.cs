using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Basalt.Bedrock;
using Basalt.Gateway.Hosting;
using Basalt.Gateway.Policy;
using Basalt.Gateway.Routing;
using Basalt.Gateway.Streaming;
using Basalt.Gateway.Translation;
using Basalt.Identity;
using Basalt.Usage;

namespace Basalt.Gateway.Anthropic;

/// <summary>
/// The Anthropic-format side (issue 8 item 2; what Claude Desktop's gateway provider and Claude Code with
/// <c>ANTHROPIC_BASE_URL</c> send): <c>POST /v1/messages</c> streamed or not, <c>POST /v1/messages/count_tokens</c>
/// (Bedrock CountTokens, with an estimate when that is unavailable) and <c>GET /v1/models</c>.
/// </summary>
internal sealed class MessagesEndpoint(EndpointServices services)
{
    public async Task HandleAsync(GatewayExchange exchange, string path, string requestId, GatewayHandler gateway)
    {
        var aborted = exchange.Aborted;
        var route = (exchange.Method, path) switch
        {
            ("POST", "/v1/messages") => 1,
            ("POST", "/v1/messages/count_tokens") => 2,
            ("GET", "/v1/models") => 3,
            ("GET", _) when path.StartsWith("/v1/models/", StringComparison.Ordinal) => 4,
            _ => 0,
        };
        if (route == 0)
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.NotFound($"{exchange.Method} {path} is not served by this gateway"), requestId, aborted).ConfigureAwait(false);
            return;
        }

        var auth = await gateway.AuthenticateAsync(exchange, path, aborted).ConfigureAwait(false);
        if (auth.Outcome != AuthenticationOutcome.Authenticated)
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.Authentication(auth.Reason ?? "invalid x-api-key"), requestId, aborted).ConfigureAwait(false);
            return;
        }

        var principal = auth.Principal!;
        switch (route)
        {
            case 3:
                await ModelsList.WriteListAsync(exchange, services, principal, requestId, aborted).ConfigureAwait(false);
                return;
            case 4:
                await ModelsList.WriteOneAsync(exchange, services, principal, Uri.UnescapeDataString(path["/v1/models/".Length..]), requestId, aborted).ConfigureAwait(false);
                return;
        }

        var call = new GatewayCall(exchange, requestId, "anthropic", services.Time.GetUtcNow()) { Principal = principal };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(services.Options.Limits.RequestTimeout);
        var ct = timeout.Token;
        using var body = await RequestBody.ReadAsync(exchange, services.Options.Limits.MaxBodyBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.TooLarge($"the request body exceeds the gateway's limit of {services.Options.Limits.MaxBodyBytes} bytes"), requestId, ct).ConfigureAwait(false);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Memory, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.InvalidRequest("the request body is not valid JSON"), requestId, ct).ConfigureAwait(false);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            var modelName = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : null;
            if (modelName is null)
            {
                await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.InvalidRequest("model: Field required"), requestId, ct).ConfigureAwait(false);
                return;
            }

            call.ModelRequested = modelName;

            // Content policy (issue 12): route by shape or rewrite, then mask or refuse, before anything goes upstream.
            var policy = services.Policy.Begin(principal);
            JsonDocument? masked = null;
            byte[]? rewritten = null;
            if (!policy.IsEmpty)
            {
                var routing = policy.Route(modelName, body.Memory.Span, name => services.Router.Resolve(name)?.Model.Id ?? name);
                if (routing.Refused)
                {
                    await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.Permission(routing.Refusal!), requestId, ct).ConfigureAwait(false);
                    await policy.CompleteAsync(requestId, call.Timestamp, modelName, ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
                    return;
                }

                modelName = routing.Served;
                if (routing.Baseline is { } baseline)
                {
                    call.ModelBaseline = services.Router.Resolve(baseline) is { } replaced ? replaced.Definition?.ClientId ?? replaced.Model.Id : baseline;
                }
                rewritten = policy.Mask(body.Memory.Span);
                if (rewritten is not null)
                {
                    masked = JsonDocument.Parse(rewritten, new JsonDocumentOptions { MaxDepth = 256 });
                    root = masked.RootElement;
                }

                if (policy.BlockedBy is not null)
                {
                    masked?.Dispose();
                    await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.InvalidRequest(policy.BlockedMessage()), requestId, ct).ConfigureAwait(false);
                    await policy.CompleteAsync(requestId, call.Timestamp, modelName, ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
                    return;
                }
            }

            using var maskedScope = masked;
            var model = services.Router.Resolve(modelName);
            if (model is null)
            {
                await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.NotFound($"model: {modelName}"), requestId, ct).ConfigureAwait(false);
                return;
            }

            if (!ModelRouter.Allows(services.Options, principal, model))
            {
                await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.Permission(ModelRouter.Denial(services.Options, principal, model)), requestId, ct).ConfigureAwait(false);
                return;
            }

            call.ModelServed = model.Definition?.ClientId ?? model.Model.Id;
            var rules = new FeatureRules(services.Router.Catalogue, model.Definition, model.Model);
            byte[] translated;
            var writer = new ArrayBufferWriter<byte>(body.Length + 256);
            try
            {
                var summary = AnthropicToBedrock.Translate(root, exchange.GetHeader("anthropic-beta"), rules, writer, ensureMaxTokens: route == 2);
                translated = writer.WrittenSpan.ToArray();
                ResponseWriter.ReportStripped(exchange, summary.Stripped);
            }
            catch (TranslationError e)
            {
                await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.InvalidRequest(e.Message), requestId, ct).ConfigureAwait(false);
                return;
            }

            if (route == 2)
            {
                await CountTokensAsync(call, model, translated, ct).ConfigureAwait(false);
                return;
            }

            var streaming = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            var maxTokens = root.TryGetProperty("max_tokens", out var mt) && mt.TryGetInt64(out var n) ? n : 0;
            await MessageAsync(call, model, translated, streaming, maxTokens, policy, ct).ConfigureAwait(false);
            if (!policy.IsEmpty)
            {
                await policy.CompleteAsync(requestId, call.Timestamp, call.ModelServed ?? modelName, rewritten ?? body.Memory, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }


    private async Task MessageAsync(GatewayCall call, RoutedModel model, byte[] body, bool streaming, long maxTokens, RequestPolicy policy, CancellationToken ct)
    {
        var exchange = call.Exchange;
        call.Streamed = streaming;
        if (streaming && !services.Streams.TryEnter())
        {
            var refusal = AnthropicError.RateLimit($"the gateway is serving its limit of {services.Streams.Limit} concurrent streams; retry shortly", TimeSpan.FromSeconds(1));
            await ResponseWriter.AnthropicErrorAsync(exchange, refusal, call.RequestId, ct).ConfigureAwait(false);
            return;
        }

        try
        {
            var decision = await services.AdmitAsync(call, body.Length, maxTokens, ct).ConfigureAwait(false);
            if (!decision.Admitted)
            {
                var refusal = new AnthropicError(decision.StatusCode, decision.ErrorType ?? "rate_limit_error", decision.Message ?? "refused by policy", decision.RetryAfter);
                await ResponseWriter.AnthropicErrorAsync(exchange, refusal, call.RequestId, ct).ConfigureAwait(false);
                await services.RecordAsync(call, null, UsageOutcome.RefusedByPolicy, refusal.StatusCode, refusal.Type, null).ConfigureAwait(false);
                return;
            }

            await ServeAsync(call, model, body, streaming, decision.Ticket!, policy, ct).ConfigureAwait(false);
        }
        finally
        {
            if (streaming)
            {
                services.Streams.Exit();
            }
        }
    }

    private async Task ServeAsync(GatewayCall call, RoutedModel model, byte[] body, bool streaming, AdmissionTicket ticket, RequestPolicy policy, CancellationToken ct)
    {
        var exchange = call.Exchange;
        var meter = new UsageMeter();
        UpstreamAttempt attempt;
        try
        {
            attempt = await services.Invoker.InvokeAsync(model, streaming ? UpstreamOperation.InvokeStream : UpstreamOperation.Invoke, _ => body, call.Principal!, policy.UpstreamHeaders(), call.RequestId, ct).ConfigureAwait(false);
        }
        catch (UpstreamFailure failure)
        {
            call.Attempts = failure.Attempts;
            var error = failure.Last is { } last ? AnthropicError.From(last)
                : failure.Attempts == 0 ? AnthropicError.Overloaded(failure.Message, failure.RetryAfter)
                : AnthropicError.Overloaded("every upstream for this model failed; try again shortly", TimeSpan.FromSeconds(1));
            await ResponseWriter.AnthropicErrorAsync(exchange, error, call.RequestId, ct).ConfigureAwait(false);
            await services.RecordAsync(call, null, error.StatusCode == 400 ? UsageOutcome.InvalidRequest : UsageOutcome.UpstreamError, error.StatusCode, error.Type, ticket).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await services.RecordAsync(call, null, UsageOutcome.ClientCancelled, 499, null, ticket).ConfigureAwait(false);
            throw;
        }

        await using (attempt.ConfigureAwait(false))
        {
            call.Answered(attempt);
            exchange.StatusCode = 200;
            exchange.SetResponseHeader("request-id", call.RequestId);
            exchange.SetResponseHeader("x-basalt-upstream", attempt.Upstream.Name);
            var outcome = UsageOutcome.Ok;
            string? errorType = null;
            try
            {
                if (streaming)
                {
                    exchange.SetResponseHeader("content-type", "text/event-stream; charset=utf-8");
                    exchange.SetResponseHeader("cache-control", "no-cache");
                    await exchange.StartResponseAsync(ct).ConfigureAwait(false);
                    var error = await SseRelay.RelayAsync(attempt.FirstFrame!, attempt.Frames!, exchange.ResponseBody, meter, ct, policy.Answer()).ConfigureAwait(false);
                    if (error is not null)
                    {
                        outcome = UsageOutcome.UpstreamError;
                        errorType = error.Type;
                        attempt.Upstream.Breaker.RecordFailure();
                    }
                }
                else
                {
                    await BodyRelay.RelayResponseAsync(attempt.Response, exchange, meter, ct, policy.Answer()).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or IOException)
            {
                outcome = UsageOutcome.ClientCancelled;
            }
            catch (Exception e) when (!streaming && e is IOException or HttpRequestException)
            {
                // A non-stream body cut after its headers: the client sees a truncated body; drop the connection so it knows.
                outcome = UsageOutcome.UpstreamError;
                errorType = "api_error";
                exchange.Abort();
            }

            meter.Complete();
            await services.RecordAsync(call, meter, outcome, outcome == UsageOutcome.ClientCancelled ? 499 : 200, errorType, ticket).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>count_tokens</c> through Bedrock CountTokens (gateway.md §1.1: serve it; LiteLLM's 404 broke clients). When
    /// the model or region has no CountTokens, the answer is an estimate (UTF-8 bytes / 4) marked in
    /// <c>x-basalt-token-count: estimate</c>, never an error (gateway.md §2).
    /// </summary>
    private async Task CountTokensAsync(GatewayCall call, RoutedModel model, byte[] invokeBody, CancellationToken ct)
    {
        var exchange = call.Exchange;
        var wrapped = CountTokensBody(invokeBody);
        long tokens;
        var estimate = false;
        try
        {
            await using var attempt = await services.Invoker.InvokeAsync(model, UpstreamOperation.CountTokens, _ => wrapped, call.Principal!, [], call.RequestId, ct).ConfigureAwait(false);
            var answer = await attempt.Response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(answer);
            tokens = doc.RootElement.GetProperty("inputTokens").GetInt64();
        }
        catch (Exception e) when (e is UpstreamFailure or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            if (e is UpstreamFailure { Last.StatusCode: 400 } invalid && invalid.Last!.ErrorMessage?.Contains("model identifier", StringComparison.OrdinalIgnoreCase) != true
                && invalid.Last.ErrorMessage?.Contains("count", StringComparison.OrdinalIgnoreCase) != true)
            {
                await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.From(invalid.Last), call.RequestId, ct).ConfigureAwait(false);
                return;
            }

            tokens = Math.Max(1, (invokeBody.Length + 3) / 4);
            estimate = true;
        }

        exchange.SetResponseHeader("request-id", call.RequestId);
        if (estimate)
        {
            exchange.SetResponseHeader("x-basalt-token-count", "estimate");
        }

        var json = System.Text.Encoding.UTF8.GetBytes($"{{\"input_tokens\":{tokens.ToString(CultureInfo.InvariantCulture)}}}");
        await ResponseWriter.JsonAsync(exchange, 200, json, ct).ConfigureAwait(false);
    }

    internal static byte[] CountTokensBody(ReadOnlySpan<byte> invokeBody)
    {
        var buffer = new ArrayBufferWriter<byte>(invokeBody.Length * 4 / 3 + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("input"u8);
            writer.WriteStartObject("invokeModel"u8);
            writer.WriteBase64String("body"u8, invokeBody);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
