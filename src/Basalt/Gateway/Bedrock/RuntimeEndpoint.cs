using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Basalt.Bedrock;
using Basalt.Gateway.Hosting;
using Basalt.Gateway.Routing;
using Basalt.Gateway.Streaming;
using Basalt.Gateway.Translation;
using Basalt.Identity;
using Basalt.Usage;

namespace Basalt.Gateway.Bedrock;

/// <summary>
/// The Bedrock-format side (issue 8 item 3; Claude Code with <c>CLAUDE_CODE_USE_BEDROCK=1</c> and
/// <c>ANTHROPIC_BEDROCK_BASE_URL</c>, AWS SDKs with a custom endpoint and bearer token): <c>/model/{id}/invoke</c>,
/// <c>/invoke-with-response-stream</c> (frames passed through, gateway.md §1.2) and <c>/count-tokens</c>. The model
/// segment is matched as a catch-all up to the last <c>/</c> and percent-decoded once, so an encoded
/// application-inference-profile ARN works (anthropics/claude-code#56595). Bodies are forwarded byte for byte except
/// <c>anthropic_beta</c>, which goes through the catalogue's beta table like the Anthropic side's (a beta Bedrock
/// rejects is stripped or mapped, named in <c>x-basalt-stripped</c>); errors come back in Bedrock's shape.
/// </summary>
internal sealed class RuntimeEndpoint(EndpointServices services)
{
    /// <summary>Bedrock request headers a client may set that are forwarded (bedrock-and-clients §1).</summary>
    private static readonly string[] ForwardedHeaders =
    [
        BedrockHeaders.Trace, BedrockHeaders.GuardrailIdentifier, BedrockHeaders.GuardrailVersion, BedrockHeaders.PerformanceConfigLatency,
        BedrockHeaders.ServiceTier, BedrockHeaders.RequestMetadata,
    ];

    public async Task HandleAsync(GatewayExchange exchange, string path, string requestId, GatewayHandler gateway)
    {
        var aborted = exchange.Aborted;
        var slash = path.LastIndexOf('/');
        var operation = path[(slash + 1)..] switch
        {
            "invoke" => UpstreamOperation.Invoke,
            "invoke-with-response-stream" => UpstreamOperation.InvokeStream,
            "count-tokens" => UpstreamOperation.CountTokens,
            _ => (UpstreamOperation?)null,
        };
        if (exchange.Method != "POST" || operation is null || slash <= "/model/".Length)
        {
            await ResponseWriter.BedrockErrorAsync(exchange, 404, "UnknownOperationException", $"{exchange.Method} {path} is not a Bedrock runtime operation this gateway serves", requestId, aborted).ConfigureAwait(false);
            return;
        }

        var modelId = Uri.UnescapeDataString(path["/model/".Length..slash]);
        var auth = await gateway.AuthenticateAsync(exchange, path, aborted).ConfigureAwait(false);
        if (auth.Outcome != AuthenticationOutcome.Authenticated)
        {
            await ResponseWriter.BedrockErrorAsync(exchange, 403, "UnrecognizedClientException", auth.Reason ?? "The security token included in the request is invalid.", requestId, aborted).ConfigureAwait(false);
            return;
        }

        var call = new GatewayCall(exchange, requestId, "bedrock", services.Time.GetUtcNow()) { Principal = auth.Principal, ModelRequested = modelId };
        var model = services.Router.Resolve(modelId);
        if (model is null)
        {
            // The wording Bedrock uses, which makes Claude Code walk down its fallback list (gateway.md §1.0).
            await ResponseWriter.BedrockErrorAsync(exchange, 400, "ValidationException", "The provided model identifier is invalid.", requestId, aborted).ConfigureAwait(false);
            return;
        }

        if (!ModelRouter.Allows(services.Options, auth.Principal!, model))
        {
            await ResponseWriter.BedrockErrorAsync(exchange, 403, "AccessDeniedException", ModelRouter.Denial(services.Options, auth.Principal!, model), requestId, aborted).ConfigureAwait(false);
            return;
        }

        call.ModelServed = model.Definition?.ClientId ?? model.Model.Id;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(services.Options.Limits.RequestTimeout);
        var ct = timeout.Token;
        using var body = await RequestBody.ReadAsync(exchange, services.Options.Limits.MaxBodyBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            await ResponseWriter.BedrockErrorAsync(exchange, 413, "ValidationException", $"The request body exceeds the gateway's limit of {services.Options.Limits.MaxBodyBytes} bytes.", requestId, ct).ConfigureAwait(false);
            return;
        }

        // Content policy (issue 12) on the Bedrock side: the same masking or refusal of the request body (an
        // Anthropic body), and the group's guardrail replaces any the client named. In answers, text is filtered like
        // the Anthropic side's (placeholders restored, secrets masked, collected for the archive), re-encoding only
        // the chunks that change; a Bedrock client reads Bedrock's own guardrail marker, so that passes as it came.
        var policy = services.Policy.Begin(auth.Principal!);
        var sent = body.Memory;
        if (!policy.IsEmpty && operation != UpstreamOperation.CountTokens)
        {
            if (policy.Mask(body.Memory.Span) is { } rewritten)
            {
                sent = rewritten;
            }

            if (policy.BlockedBy is not null)
            {
                await ResponseWriter.BedrockErrorAsync(exchange, 400, "ValidationException", policy.BlockedMessage(), requestId, ct).ConfigureAwait(false);
                await policy.CompleteAsync(requestId, call.Timestamp, modelId, ReadOnlyMemory<byte>.Empty, ct).ConfigureAwait(false);
                return;
            }
        }

        if (operation != UpstreamOperation.CountTokens && sent.Span.IndexOf("\"anthropic_beta\""u8) >= 0)
        {
            // The body's betas go through the same catalogue table as the Anthropic side's (gateway.md §1.4).
            try
            {
                using var document = JsonDocument.Parse(sent, new JsonDocumentOptions { MaxDepth = 256 });
                var betaBody = new ArrayBufferWriter<byte>(sent.Length + 64);
                if (AnthropicToBedrock.TryRewriteBetas(document.RootElement, new FeatureRules(services.Router.Catalogue, model.Definition, model.Model), betaBody, out var summary))
                {
                    sent = betaBody.WrittenMemory;
                }

                ResponseWriter.ReportStripped(exchange, summary.Stripped);
            }
            catch (JsonException)
            {
                // Not JSON: forwarded as it is, Bedrock answers with its own validation error.
            }
            catch (TranslationError e)
            {
                await ResponseWriter.BedrockErrorAsync(exchange, 400, "ValidationException", e.Message, requestId, ct).ConfigureAwait(false);
                return;
            }
        }

        var guardrail = policy.UpstreamHeaders();
        var extra = new List<KeyValuePair<string, string>>(guardrail);
        foreach (var name in ForwardedHeaders)
        {
            var ownedByPolicy = guardrail.Count > 0 && (name.StartsWith("x-amzn-bedrock-guardrail", StringComparison.OrdinalIgnoreCase) || string.Equals(name, BedrockHeaders.Trace, StringComparison.OrdinalIgnoreCase));
            if (exchange.GetHeader(name) is { } value && !ownedByPolicy)
            {
                extra.Add(new(name, value));
            }
        }

        var streaming = operation == UpstreamOperation.InvokeStream;
        call.Streamed = streaming;
        if (streaming && !services.Streams.TryEnter())
        {
            await ResponseWriter.BedrockErrorAsync(exchange, 429, "ThrottlingException", $"The gateway is serving its limit of {services.Streams.Limit} concurrent streams; retry shortly.", requestId, ct, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            return;
        }

        try
        {
            AdmissionTicket? ticket = null;
            if (operation != UpstreamOperation.CountTokens)
            {
                var decision = await services.AdmitAsync(call, body.Length, 0, ct).ConfigureAwait(false);
                if (!decision.Admitted)
                {
                    await ResponseWriter.BedrockErrorAsync(exchange, decision.StatusCode, decision.StatusCode == 429 ? "ThrottlingException" : "AccessDeniedException", decision.Message ?? "Refused by policy.", requestId, ct, decision.RetryAfter).ConfigureAwait(false);
                    await services.RecordAsync(call, null, UsageOutcome.RefusedByPolicy, decision.StatusCode, decision.ErrorType, null).ConfigureAwait(false);
                    return;
                }

                ticket = decision.Ticket;
            }

            var answer = policy.IsEmpty || operation == UpstreamOperation.CountTokens ? null : policy.Answer(bedrockFormat: true);
            await ServeAsync(call, model, operation.Value, sent, extra, ticket, answer, ct).ConfigureAwait(false);
            if (!policy.IsEmpty && operation != UpstreamOperation.CountTokens)
            {
                await policy.CompleteAsync(requestId, call.Timestamp, call.ModelServed ?? modelId, sent, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            if (streaming)
            {
                services.Streams.Exit();
            }
        }
    }


    private async Task ServeAsync(GatewayCall call, RoutedModel model, UpstreamOperation operation, ReadOnlyMemory<byte> body, List<KeyValuePair<string, string>> extra, AdmissionTicket? ticket, Policy.AnswerFilter? answer, CancellationToken ct)
    {
        var exchange = call.Exchange;
        UpstreamAttempt attempt;
        try
        {
            attempt = await services.Invoker.InvokeAsync(model, operation, _ => body, call.Principal!, extra, call.RequestId, ct).ConfigureAwait(false);
        }
        catch (UpstreamFailure failure)
        {
            call.Attempts = failure.Attempts;
            if (failure.Last is { } last && !last.IsStreamException && last.ResponseBody.Length > 0)
            {
                // Upstream errors go back unchanged (Claude Code's retry logic reads them; bedrock-and-clients §5).
                exchange.SetResponseHeader("x-amzn-RequestId", call.RequestId);
                exchange.SetResponseHeader("x-amzn-ErrorType", last.RawErrorType ?? last.ErrorType);
                if (last.RetryAfter is { } ra)
                {
                    exchange.SetResponseHeader("retry-after", Math.Max(1, (int)Math.Ceiling(ra.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
                }

                await ResponseWriter.JsonAsync(exchange, last.StatusCode, System.Text.Encoding.UTF8.GetBytes(last.ResponseBody), ct).ConfigureAwait(false);
                await services.RecordAsync(call, null, last.StatusCode == 400 ? UsageOutcome.InvalidRequest : UsageOutcome.UpstreamError, last.StatusCode, last.ErrorType, ticket).ConfigureAwait(false);
            }
            else
            {
                var status = failure.Last?.StatusCode is { } s and >= 400 ? s : 503;
                var type = failure.Last?.ErrorType ?? "ServiceUnavailableException";
                await ResponseWriter.BedrockErrorAsync(exchange, status, type, failure.Last?.ErrorMessage ?? failure.Message, call.RequestId, ct, failure.RetryAfter).ConfigureAwait(false);
                await services.RecordAsync(call, null, UsageOutcome.UpstreamError, status, type, ticket).ConfigureAwait(false);
            }

            return;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await services.RecordAsync(call, null, UsageOutcome.ClientCancelled, 499, null, ticket).ConfigureAwait(false);
            throw;
        }

        var meter = new UsageMeter();
        await using (attempt.ConfigureAwait(false))
        {
            call.Answered(attempt);
            exchange.StatusCode = 200;
            exchange.SetResponseHeader("x-amzn-RequestId", call.RequestId);
            foreach (var name in new[] { BedrockHeaders.InputTokenCount, BedrockHeaders.OutputTokenCount, BedrockHeaders.InvocationLatency, BedrockHeaders.ContentType })
            {
                if (attempt.Response.Headers.TryGetValues(name, out var values))
                {
                    exchange.SetResponseHeader(name, string.Join(',', values));
                }
            }

            var outcome = UsageOutcome.Ok;
            string? errorType = null;
            try
            {
                if (operation == UpstreamOperation.InvokeStream)
                {
                    exchange.SetResponseHeader("content-type", BedrockHeaders.EventStreamContentType);
                    await exchange.StartResponseAsync(ct).ConfigureAwait(false);
                    errorType = await EventStreamRelay.RelayAsync(attempt.FirstFrame!, attempt.Frames!, exchange.ResponseBody, meter, ct, answer).ConfigureAwait(false);
                    if (errorType is not null)
                    {
                        outcome = UsageOutcome.UpstreamError;
                        attempt.Upstream.Breaker.RecordFailure();
                    }
                }
                else
                {
                    await BodyRelay.RelayResponseAsync(attempt.Response, exchange, meter, ct, answer).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or IOException)
            {
                outcome = UsageOutcome.ClientCancelled;
            }
            catch (Exception e) when (operation != UpstreamOperation.InvokeStream && e is IOException or HttpRequestException)
            {
                outcome = UsageOutcome.UpstreamError;
                exchange.Abort();
            }

            if (operation != UpstreamOperation.CountTokens)
            {
                meter.Complete();
                await services.RecordAsync(call, meter, outcome, outcome == UsageOutcome.ClientCancelled ? 499 : 200, errorType, ticket).ConfigureAwait(false);
            }
        }
    }
}
