using System.Globalization;
using System.Text;
using System.Text.Json;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Http;
using Basalt.Emulator.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// Bedrock control plane (bedrock-and-clients §2): ListInferenceProfiles (<c>type</c>, <c>maxResults</c>,
/// <c>nextToken</c>), GetInferenceProfile (id or ARN), ListFoundationModels (<c>byProvider</c>,
/// <c>byOutputModality</c>, <c>byInferenceType</c>, <c>byCustomizationType</c>) and GetFoundationModel.
/// Authenticated like the runtime (signing name <c>bedrock</c>) and logged.
/// </summary>
internal sealed class BedrockControlPlane(EmulatorContext emulator, ModelCatalog catalog)
{
    private const string Service = "bedrock";
    private const string TokenPrefix = "basalt-ip-v1:";

    public async Task ListInferenceProfilesAsync(HttpContext context)
    {
        var log = await AuthenticateAsync(context, "ListInferenceProfiles");
        if (log is null)
        {
            return;
        }

        var query = context.Request.Query;
        var type = query["type"].ToString();
        if (type.Length > 0 && type is not (InferenceProfile.SystemDefined or InferenceProfile.Application))
        {
            await ErrorAsync(context, BedrockError.Validation($"1 validation error detected: Value '{type}' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]"), log);
            return;
        }

        var pageSize = 1000;
        if (query.TryGetValue("maxResults", out var maxText))
        {
            if (!int.TryParse(maxText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > 1000)
            {
                await ErrorAsync(context, BedrockError.Validation($"1 validation error detected: Value '{maxText}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000"), log);
                return;
            }
        }

        var offset = 0;
        if (query.TryGetValue("nextToken", out var token) && token.ToString().Length > 0 && !TryReadToken(token.ToString(), type, out offset))
        {
            await ErrorAsync(context, BedrockError.Validation("The pagination token is invalid. Use the nextToken from the previous response with the same type filter."), log);
            return;
        }

        var matching = catalog.Profiles.Where(p => (type.Length == 0 || p.Type == type) && catalog.Options.IsEnabled(log.AccountId, p.Model.Id)).ToList();
        var page = matching.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < matching.Count ? WriteToken(offset + page.Count, type) : null;
        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteStartArray("inferenceProfileSummaries");
            foreach (var p in page)
            {
                WriteProfile(w, p);
            }

            w.WriteEndArray();
            if (next is not null)
            {
                w.WriteString("nextToken", next);
            }
        });
        log.Record(200, RequestLogEntry.SuccessOutcome);
    }

    public async Task GetInferenceProfileAsync(HttpContext context)
    {
        var log = await AuthenticateAsync(context, "GetInferenceProfile");
        if (log is null)
        {
            return;
        }

        var id = LastSegment(context, "/inference-profiles/");
        if (catalog.FindProfile(id) is not { } profile)
        {
            await ErrorAsync(context, BedrockError.NotFound($"Inference profile {id} not found."), log);
            return;
        }

        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w => WriteProfileFields(w, profile));
        log.Record(200, RequestLogEntry.SuccessOutcome);
    }

    public async Task ListFoundationModelsAsync(HttpContext context)
    {
        var log = await AuthenticateAsync(context, "ListFoundationModels");
        if (log is null)
        {
            return;
        }

        var query = context.Request.Query;
        var provider = query["byProvider"].ToString();
        var output = query["byOutputModality"].ToString();
        var inference = query["byInferenceType"].ToString();
        var customization = query["byCustomizationType"].ToString();
        if (output.Length > 0 && output is not ("TEXT" or "IMAGE" or "EMBEDDING"))
        {
            await ErrorAsync(context, BedrockError.Validation($"1 validation error detected: Value '{output}' at 'byOutputModality' failed to satisfy constraint: Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]"), log);
            return;
        }

        if (inference.Length > 0 && inference is not ("ON_DEMAND" or "PROVISIONED"))
        {
            await ErrorAsync(context, BedrockError.Validation($"1 validation error detected: Value '{inference}' at 'byInferenceType' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]"), log);
            return;
        }

        if (customization.Length > 0 && customization is not ("FINE_TUNING" or "CONTINUED_PRE_TRAINING" or "DISTILLATION"))
        {
            await ErrorAsync(context, BedrockError.Validation($"1 validation error detected: Value '{customization}' at 'byCustomizationType' failed to satisfy constraint: Member must satisfy enum value set: [FINE_TUNING, CONTINUED_PRE_TRAINING, DISTILLATION]"), log);
            return;
        }

        var models = catalog.Models.Where(m =>
            (provider.Length == 0 || string.Equals(m.ProviderName, provider, StringComparison.OrdinalIgnoreCase))
            && (output.Length == 0 || output == "TEXT")
            && (inference.Length == 0 || (inference == "ON_DEMAND" && m.OnDemand))
            && customization.Length == 0
            && catalog.Options.IsEnabled(log.AccountId, m.Id)).ToList();
        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteStartArray("modelSummaries");
            foreach (var m in models)
            {
                w.WriteStartObject();
                WriteModelFields(w, m);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        log.Record(200, RequestLogEntry.SuccessOutcome);
    }

    public async Task GetFoundationModelAsync(HttpContext context)
    {
        var log = await AuthenticateAsync(context, "GetFoundationModel");
        if (log is null)
        {
            return;
        }

        var id = LastSegment(context, "/foundation-models/");
        if (catalog.FindFoundationModel(id) is not { } model)
        {
            await ErrorAsync(context, BedrockError.NotFound($"Could not find model {id}."), log);
            return;
        }

        await AwsErrors.WriteJsonAsync(context, 200, "application/json", w =>
        {
            w.WriteStartObject("modelDetails");
            WriteModelFields(w, model);
            w.WriteEndObject();
        });
        log.Record(200, RequestLogEntry.SuccessOutcome);
    }

    private async Task<BedrockRuntime.LogScope?> AuthenticateAsync(HttpContext context, string operation)
    {
        var auth = await emulator.Authenticator.AuthenticateAsync(context, Service, operation);
        return auth.Succeeded ? new BedrockRuntime.LogScope(emulator, context, auth.Principal!.Arn, auth.Principal.AccountId, operation) : null;
    }

    private static Task ErrorAsync(HttpContext context, BedrockError error, BedrockRuntime.LogScope log) => BedrockRuntime.WriteErrorAsync(context, error, log);

    private static void WriteProfile(Utf8JsonWriter w, InferenceProfile p)
    {
        w.WriteStartObject();
        WriteProfileFields(w, p);
        w.WriteEndObject();
    }

    private static void WriteProfileFields(Utf8JsonWriter w, InferenceProfile p)
    {
        w.WriteString("inferenceProfileName", p.Name);
        w.WriteString("description", p.Description);
        w.WriteString("createdAt", ModelCatalog.CreatedAtText);
        w.WriteString("updatedAt", ModelCatalog.CreatedAtText);
        w.WriteString("inferenceProfileArn", p.Arn);
        w.WriteStartArray("models");
        foreach (var arn in p.ModelArns)
        {
            w.WriteStartObject();
            w.WriteString("modelArn", arn);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("inferenceProfileId", p.Id);
        w.WriteString("status", "ACTIVE");
        w.WriteString("type", p.Type);
    }

    private void WriteModelFields(Utf8JsonWriter w, BedrockModelDefinition m)
    {
        w.WriteString("modelArn", catalog.FoundationModelArn(m.Id));
        w.WriteString("modelId", m.Id);
        w.WriteString("modelName", m.Name);
        w.WriteString("providerName", m.ProviderName);
        w.WriteStartArray("inputModalities");
        w.WriteStringValue("TEXT");
        w.WriteStringValue("IMAGE");
        w.WriteEndArray();
        w.WriteStartArray("outputModalities");
        w.WriteStringValue("TEXT");
        w.WriteEndArray();
        w.WriteBoolean("responseStreamingSupported", true);
        w.WriteStartArray("customizationsSupported");
        w.WriteEndArray();
        w.WriteStartArray("inferenceTypesSupported");
        w.WriteStringValue(m.OnDemand ? "ON_DEMAND" : "INFERENCE_PROFILE");
        w.WriteEndArray();
        w.WriteStartObject("modelLifecycle");
        w.WriteString("status", "ACTIVE");
        w.WriteEndObject();
    }

    private static string LastSegment(HttpContext context, string prefix)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || !raw.StartsWith('/'))
        {
            raw = context.Request.Path.Value ?? string.Empty;
        }

        var q = raw.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? raw : raw[..q];
        return path.StartsWith(prefix, StringComparison.Ordinal) ? Uri.UnescapeDataString(path[prefix.Length..]) : string.Empty;
    }

    /// <summary>Opaque to clients; binds the offset to the type filter so a token cannot be replayed against another listing.</summary>
    private static string WriteToken(int offset, string type)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TokenPrefix}{offset.ToString(CultureInfo.InvariantCulture)}:{type}"));

    private static bool TryReadToken(string token, string type, out int offset)
    {
        offset = 0;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            return false;
        }

        if (!text.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[TokenPrefix.Length..].Split(':', 2);
        return parts.Length == 2 && parts[1] == type
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }
}
