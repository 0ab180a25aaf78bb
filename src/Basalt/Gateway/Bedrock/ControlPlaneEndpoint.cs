using System.Buffers;
using System.Text.Json;
using Basalt.Gateway.Hosting;
using Basalt.Gateway.Routing;
using Basalt.Identity;

namespace Basalt.Gateway.Bedrock;

/// <summary>
/// The control-plane calls clients make for model discovery (bedrock-and-clients §2): <c>GET /inference-profiles</c>
/// and <c>GET /foundation-models</c>, answered from the gateway's own models (only those the caller may use), in
/// Bedrock's shapes. Claude Code sends the first with no credential at all (gateway.md §1.0): that gets an
/// empty list; a credential that is presented and wrong gets Bedrock's 403.
/// </summary>
internal sealed class ControlPlaneEndpoint(EndpointServices services)
{
    public async Task HandleAsync(GatewayExchange exchange, string path, string requestId, GatewayHandler gateway)
    {
        var aborted = exchange.Aborted;
        if (exchange.Method != "GET" || path is not ("/inference-profiles" or "/foundation-models"))
        {
            await ResponseWriter.BedrockErrorAsync(exchange, 404, "ResourceNotFoundException", $"{exchange.Method} {path} is not served by this gateway.", requestId, aborted).ConfigureAwait(false);
            return;
        }

        List<RoutedModel> models;
        if (exchange.GetHeader("authorization") is null && exchange.GetHeader("x-api-key") is null)
        {
            // Claude Code 2.1.332 in Bedrock mode with CLAUDE_CODE_SKIP_BEDROCK_AUTH=1 sends this start-up call with no
            // credential at all (gateway.md §1.0). An empty list answers it without a 4xx in the client's log and
            // without telling an anonymous caller which models exist; the client then calls the model it was given.
            models = [];
        }
        else
        {
            var auth = await gateway.AuthenticateAsync(exchange, path, aborted).ConfigureAwait(false);
            if (auth.Outcome != AuthenticationOutcome.Authenticated)
            {
                await ResponseWriter.BedrockErrorAsync(exchange, 403, "AccessDeniedException", auth.Reason ?? "The security token included in the request is invalid.", requestId, aborted).ConfigureAwait(false);
                return;
            }

            models = [.. services.Router.Models.Where(m => ModelRouter.Allows(services.Options, auth.Principal!, m))];
        }
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (path == "/inference-profiles")
            {
                writer.WriteStartArray("inferenceProfileSummaries"u8);
                foreach (var model in models)
                {
                    var route = model.Model.Routes[0];
                    var region = services.Options.Upstreams[route.Upstream].Region;
                    var id = route.ModelId.StartsWith("arn:", StringComparison.Ordinal) ? model.Model.Id : route.ModelId;
                    writer.WriteStartObject();
                    writer.WriteString("inferenceProfileId"u8, id);
                    writer.WriteString("inferenceProfileName"u8, model.Model.DisplayName ?? model.Definition?.DisplayName ?? model.Model.Id);
                    writer.WriteString("inferenceProfileArn"u8, $"arn:aws:bedrock:{region}::inference-profile/{id}");
                    writer.WriteString("status"u8, "ACTIVE"u8);
                    writer.WriteString("type"u8, "SYSTEM_DEFINED"u8);
                    writer.WriteStartArray("models"u8);
                    if (model.Definition?.FoundationModelId is { } foundation)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("modelArn"u8, $"arn:aws:bedrock:{region}::foundation-model/{foundation}");
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }
            else
            {
                writer.WriteStartArray("modelSummaries"u8);
                foreach (var model in models)
                {
                    var foundation = model.Definition?.FoundationModelId ?? model.Model.Id;
                    var region = services.Options.Upstreams[model.Model.Routes[0].Upstream].Region;
                    writer.WriteStartObject();
                    writer.WriteString("modelId"u8, foundation);
                    writer.WriteString("modelArn"u8, $"arn:aws:bedrock:{region}::foundation-model/{foundation}");
                    writer.WriteString("modelName"u8, model.Model.DisplayName ?? model.Definition?.DisplayName ?? model.Model.Id);
                    writer.WriteString("providerName"u8, "Anthropic"u8);
                    writer.WriteStartArray("inputModalities"u8);
                    writer.WriteStringValue("TEXT"u8);
                    writer.WriteStringValue("IMAGE"u8);
                    writer.WriteEndArray();
                    writer.WriteStartArray("outputModalities"u8);
                    writer.WriteStringValue("TEXT"u8);
                    writer.WriteEndArray();
                    writer.WriteBoolean("responseStreamingSupported"u8, true);
                    writer.WriteStartArray("inferenceTypesSupported"u8);
                    writer.WriteStringValue("INFERENCE_PROFILE"u8);
                    writer.WriteEndArray();
                    writer.WriteStartObject("modelLifecycle"u8);
                    writer.WriteString("status"u8, "ACTIVE"u8);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        exchange.SetResponseHeader("x-amzn-RequestId", requestId);
        await ResponseWriter.JsonAsync(exchange, 200, buffer.WrittenMemory, aborted).ConfigureAwait(false);
    }
}
