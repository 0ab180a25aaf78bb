using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Basalt.Gateway.Hosting;
using Basalt.Gateway.Routing;
using Basalt.Identity;

namespace Basalt.Gateway.Anthropic;

/// <summary>
/// <c>GET /v1/models</c> in Anthropic's list shape, only with models the caller's groups allow, plus what Claude
/// Desktop's picker reads (cowork3p-reference §6.2): <c>anthropic_family_tier</c>, <c>is_family_default</c> (the
/// first configured model of each tier) and the context window as <c>max_input_tokens</c>.
/// </summary>
internal static class ModelsList
{
    public static Task WriteListAsync(GatewayExchange exchange, EndpointServices services, Principal principal, string requestId, CancellationToken cancellationToken)
    {
        var allowed = services.Router.Models.Where(m => ModelRouter.Allows(services.Options, principal, m)).ToList();
        var defaults = FamilyDefaults(services.Router.Models);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data"u8);
            foreach (var model in allowed)
            {
                WriteModel(writer, model, defaults.Contains(model));
            }

            writer.WriteEndArray();
            writer.WriteBoolean("has_more"u8, false);
            if (allowed.Count > 0)
            {
                writer.WriteString("first_id"u8, allowed[0].Model.Id);
                writer.WriteString("last_id"u8, allowed[^1].Model.Id);
            }
            else
            {
                writer.WriteNull("first_id"u8);
                writer.WriteNull("last_id"u8);
            }

            writer.WriteEndObject();
        }

        exchange.SetResponseHeader("request-id", requestId);
        return ResponseWriter.JsonAsync(exchange, 200, buffer.WrittenMemory, cancellationToken);
    }

    public static Task WriteOneAsync(GatewayExchange exchange, EndpointServices services, Principal principal, string id, string requestId, CancellationToken cancellationToken)
    {
        var model = services.Router.Resolve(id);
        if (model is null || !ModelRouter.Allows(services.Options, principal, model))
        {
            return ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.NotFound($"model: {id}"), requestId, cancellationToken);
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteModel(writer, model, FamilyDefaults(services.Router.Models).Contains(model));
        }

        exchange.SetResponseHeader("request-id", requestId);
        return ResponseWriter.JsonAsync(exchange, 200, buffer.WrittenMemory, cancellationToken);
    }

    private static HashSet<RoutedModel> FamilyDefaults(IReadOnlyList<RoutedModel> models)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var defaults = new HashSet<RoutedModel>();
        foreach (var model in models)
        {
            if (model.Definition?.Family is { } family && seen.Add(family))
            {
                defaults.Add(model);
            }
        }

        return defaults;
    }

    private static void WriteModel(Utf8JsonWriter writer, RoutedModel model, bool familyDefault)
    {
        var d = model.Definition;
        writer.WriteStartObject();
        writer.WriteString("type"u8, "model"u8);
        writer.WriteString("id"u8, model.Model.Id);
        writer.WriteString("display_name"u8, model.Model.DisplayName ?? d?.DisplayName ?? model.Model.Id);
        var created = d?.ReleaseDate is { } date ? date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : DateTime.UnixEpoch;
        writer.WriteString("created_at"u8, created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (d is not null)
        {
            writer.WriteString("anthropic_family_tier"u8, d.Family);
            writer.WriteBoolean("is_family_default"u8, familyDefault);
            if (d.ContextWindow is { } window)
            {
                writer.WriteNumber("max_input_tokens"u8, window);
                writer.WriteNumber("context_window"u8, window);
            }

            writer.WriteNumber("max_tokens"u8, d.MaxOutputTokens);
        }

        writer.WriteEndObject();
    }
}
