using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Basalt.Aws;

namespace Basalt.ManagedConfig;

/// <summary>
/// Per-value rules (cowork3p-reference §11.2–11.5): the wire type, the string parsed as the documented type
/// (booleans, integers, numbers, JSON), enum membership, ranges and formats. A value that fails to parse is marked
/// invalid so later passes treat it as unusable, which is what the app does.
/// </summary>
internal static partial class ValueRules
{
    public static void Apply(ValidationContext ctx)
    {
        foreach (var entry in ctx.EffectiveOrder.ToList())
        {
            var def = KeyCatalogue.Find(entry.Key);
            if (def is null || entry.Value is null)
            {
                continue;
            }

            CheckWireType(ctx, def, entry);
            if (entry.Value.Trim().Length == 0)
            {
                // The gateway key has its own rule (an empty value is not allowed, §5.1); the enforcement hours
                // key documents blank as meaningful (§2.6).
                if (def.Name is not ("inferenceGatewayApiKey" or "autoUpdaterEnforcementHours"))
                {
                    ctx.Info(ConfigDiagnosticCodes.EmptyValue, def.Name, $"'{def.Name}' is empty; the app treats it as not set.",
                        $"Give '{def.Name}' a value or remove it.");
                }

                continue;
            }

            if (!CheckType(ctx, def, entry.Value.Trim()))
            {
                ctx.MarkInvalid(def.Name);
            }
        }
    }

    /// <summary>The value as it may appear in a message: secrets never do.</summary>
    public static string Show(KeyDefinition? def, string? value)
        => def is { IsSecret: true } ? "(secret value)" : $"\"{Truncate(value ?? string.Empty)}\"";

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..77] + "...";

    private static void CheckWireType(ValidationContext ctx, KeyDefinition def, ConfigEntry entry)
    {
        switch (entry.WireType)
        {
            case WireType.NativeArray or WireType.NativeObject when ctx.Platform != ConfigPlatform.Linux:
                // Older reference: a single <string> holding JSON; newest: native containers are converted (§1.1 [CONFLICT]).
                ctx.Warning(ConfigDiagnosticCodes.NativeContainer, def.Name,
                    $"'{def.Name}' is a native {(entry.WireType == WireType.NativeArray ? "<array>" : "<dict>")}: only the newest apps convert it to JSON, older ones need one <string> holding the JSON.",
                    $"Write '{def.Name}' as <string> containing the JSON text.");
                break;
            case WireType.RegDword when def.ValueType is not (ConfigValueType.Boolean or ConfigValueType.Integer or ConfigValueType.Number):
                ctx.Warning(ConfigDiagnosticCodes.RegDwordForText, def.Name,
                    $"'{def.Name}' is REG_DWORD; the app reads it as the decimal text \"{entry.Value}\", but the key expects {Describe(def)}.",
                    $"Re-create '{def.Name}' as REG_SZ.");
                break;
        }
    }

    private static bool CheckType(ValidationContext ctx, KeyDefinition def, string value)
    {
        switch (def.ValueType)
        {
            case ConfigValueType.Boolean:
                if (value is "true" or "false" or "1" or "0")
                {
                    return true;
                }

                ctx.Error(ConfigDiagnosticCodes.InvalidBoolean, def.Name,
                    $"'{def.Name}' must be a boolean, got {Show(def, value)}; booleans are the strings \"true\"/\"false\" (or \"1\"/\"0\"), case-sensitive.",
                    $"Set '{def.Name}' to \"true\" or \"false\".");
                return false;
            case ConfigValueType.Integer:
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                {
                    ctx.Error(ConfigDiagnosticCodes.InvalidInteger, def.Name,
                        $"'{def.Name}' must be a decimal integer{Range(def)}, got {Show(def, value)}.",
                        $"Set '{def.Name}' to a whole number such as \"{def.Default ?? (def.Min ?? 1).ToString(CultureInfo.InvariantCulture)}\".");
                    return false;
                }

                return CheckRange(ctx, def, i);
            case ConfigValueType.Number:
                if (!double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
                {
                    ctx.Error(ConfigDiagnosticCodes.InvalidNumber, def.Name,
                        $"'{def.Name}' must be a decimal number{Range(def)}, got {Show(def, value)}.",
                        $"Set '{def.Name}' to a number with '.' as the decimal point, e.g. \"1.2\".");
                    return false;
                }

                return CheckRange(ctx, def, n);
            case ConfigValueType.Enum:
                return CheckEnumValue(ctx, def, value, def.Name);
            case ConfigValueType.String or ConfigValueType.Url or ConfigValueType.Path:
                if (def.MaxLength is { } max && value.Length > max)
                {
                    ctx.Error(ConfigDiagnosticCodes.TooLong, def.Name,
                        $"'{def.Name}' is {value.Length} characters; at most {max} are allowed.", $"Shorten '{def.Name}' to {max} characters.");
                    return false;
                }

                return CheckFormat(ctx, def, value);
            default:
                return CheckJson(ctx, def, value);
        }
    }

    public static bool CheckEnumValue(ValidationContext ctx, KeyDefinition def, string value, string path)
    {
        if (!def.EnumValues.Contains(value))
        {
            var near = def.EnumValues.FirstOrDefault(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
            ctx.Error(ConfigDiagnosticCodes.InvalidEnumValue, def.Name,
                $"'{path}' is {Show(def, value)}, which is not one of: {string.Join(", ", def.EnumValues.Where(v => !def.DeprecatedEnumValues.ContainsKey(v)))}.",
                near is null ? $"Use one of the listed values for '{path}'." : $"Values are case-sensitive: use \"{near}\".");
            return false;
        }

        if (def.EnumValueSince.TryGetValue(value, out var since) && ctx.Target is { } target && target < since)
        {
            ctx.Warning(ConfigDiagnosticCodes.EnumValueNewerThanApp, def.Name,
                $"'{path}' = \"{value}\" needs app v{since}; app {target} does not accept it.",
                $"Upgrade to v{since} or choose another value.");
            return false;
        }

        if (def.DeprecatedEnumValues.TryGetValue(value, out var instead))
        {
            if (ctx.CutoffPassed)
            {
                ctx.Error(ConfigDiagnosticCodes.DeprecatedEnumValue, def.Name,
                    $"'{path}' = \"{value}\" is deprecated and {ctx.CutoffText}; the app reports it invalid.",
                    $"Use {instead}.");
                return false;
            }

            ctx.Warning(ConfigDiagnosticCodes.DeprecatedEnumValue, def.Name,
                $"'{path}' = \"{value}\" is deprecated ({ctx.CutoffText}).", $"Use {instead}.");
        }

        return true;
    }

    private static bool CheckRange(ValidationContext ctx, KeyDefinition def, double v)
    {
        if ((def.Min is { } min && v < min) || (def.Max is { } max && v > max))
        {
            ctx.Error(ConfigDiagnosticCodes.OutOfRange, def.Name,
                $"'{def.Name}' is {v.ToString(CultureInfo.InvariantCulture)}, outside the allowed range{Range(def)}; the app rejects it.",
                $"Set '{def.Name}' within{Range(def)}.");
            return false;
        }

        return true;
    }

    private static string Range(KeyDefinition def) => (def.Min, def.Max) switch
    {
        ({ } a, { } b) => string.Create(CultureInfo.InvariantCulture, $" {a}–{b}"),
        ({ } a, null) => string.Create(CultureInfo.InvariantCulture, $" ≥ {a}"),
        (null, { } b) => string.Create(CultureInfo.InvariantCulture, $" ≤ {b}"),
        _ => string.Empty,
    };

    private static string Describe(KeyDefinition def) => def.ValueType switch
    {
        ConfigValueType.Enum => "one of " + string.Join("|", def.EnumValues),
        ConfigValueType.Url => "a URL",
        ConfigValueType.Path => "a path",
        _ => def.ValueType.ToString().ToLowerInvariant(),
    };

    private static bool CheckFormat(ValidationContext ctx, KeyDefinition def, string value)
    {
        switch (def.Format)
        {
            case ValueFormat.Uuid:
                if (!Guid.TryParseExact(value, "D", out _))
                {
                    ctx.Error(ConfigDiagnosticCodes.InvalidUuid, def.Name,
                        $"'{def.Name}' must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got {Show(def, value)}.",
                        $"Generate one (e.g. 'uuidgen') and set '{def.Name}' to it.");
                    return false;
                }

                if (string.Equals(value, KeyCatalogue.PlaceholderOrganizationUuid, StringComparison.OrdinalIgnoreCase))
                {
                    ctx.Warning(ConfigDiagnosticCodes.PlaceholderUuid, def.Name,
                        $"'{def.Name}' is the documentation placeholder {KeyCatalogue.PlaceholderOrganizationUuid}, shared by everyone who copied the example.",
                        $"Generate your own UUID once and keep it: changing it later orphans users' sessions, skills and plugins.");
                }

                return true;
            case ValueFormat.AwsRegion:
                if (!AwsPartition.IsValidRegion(value))
                {
                    ctx.Error(ConfigDiagnosticCodes.InvalidRegion, def.Name,
                        $"'{def.Name}' must be an AWS region name such as us-west-2 or us-gov-west-1, got {Show(def, value)}.",
                        $"Set '{def.Name}' to the region code (lower case, no URL).");
                    return false;
                }

                return true;
            case ValueFormat.AwsAccountId:
                if (!AccountId().IsMatch(value))
                {
                    ctx.Error(ConfigDiagnosticCodes.InvalidAccountId, def.Name,
                        $"'{def.Name}' must be a 12-digit AWS account ID, got {Show(def, value)} ({value.Length} characters).",
                        "Copy the account ID from the IAM Identity Center console, keeping leading zeros and no dashes.");
                    return false;
                }

                return true;
            case ValueFormat.VertexProjectId:
                if (!VertexProject().IsMatch(value))
                {
                    // The pattern is enforced from v1.40609.0; older apps accept the value but Vertex rejects it.
                    ctx.Report(ctx.IsAtLeast(AppVersion.Create(1, 40609)) ? Diagnostics.DiagnosticSeverity.Error : Diagnostics.DiagnosticSeverity.Warning,
                        ConfigDiagnosticCodes.InvalidVertexProject, def.Name,
                        $"'{def.Name}' must match ^[a-z0-9][a-z0-9.:-]*$ (a project ID, not its display name or number with spaces), got {Show(def, value)}.",
                        "Use the project ID shown by 'gcloud projects list'.");
                    return false;
                }

                return true;
            case ValueFormat.FoundryResource:
                if (!FoundryResource().IsMatch(value))
                {
                    ctx.Error(ConfigDiagnosticCodes.InvalidFoundryResource, def.Name,
                        $"'{def.Name}' must be 2–64 characters of lower-case letters, digits and hyphens (the <resource> in <resource>.services.ai.azure.com), got {Show(def, value)}.",
                        "Use the resource name only, not its URL.");
                    return false;
                }

                return true;
            case ValueFormat.AbsolutePath:
                return CheckAbsolutePath(ctx, def, value);
            case ValueFormat.HttpsUrl or ValueFormat.HttpsOrigin or ValueFormat.AnyUrl or ValueFormat.BedrockBaseUrl:
                return UrlRules.Check(ctx, def, value);
            default:
                return true;
        }
    }

    private static bool CheckAbsolutePath(ValidationContext ctx, KeyDefinition def, string value)
    {
        var unix = value.StartsWith('/');
        var windows = WindowsAbsolute().IsMatch(value);
        if ((unix || windows) && !value.Contains('%', StringComparison.Ordinal) && !value.Contains('$', StringComparison.Ordinal))
        {
            return true;
        }

        ctx.Error(ConfigDiagnosticCodes.NotAbsolutePath, def.Name,
            $"'{def.Name}' must be an absolute path with no ~ or variable expansion, got {Show(def, value)}.",
            "Write the full path, e.g. /usr/local/bin/basalt-credential or C:\\Program Files\\Basalt\\basalt-credential.exe.");
        return false;
    }

    private static bool CheckJson(ValidationContext ctx, KeyDefinition def, string value)
    {
        if (def.Format == ValueFormat.HeaderMap && !value.StartsWith('{') && !value.StartsWith('['))
        {
            return LegacyHeaders(ctx, def, "a \"Name=value,…\" string");
        }

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(value, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            ctx.Error(ConfigDiagnosticCodes.InvalidJson, def.Name,
                $"'{def.Name}' must hold {Expected(def)} as JSON text, but it does not parse: {Clean(ex.Message)}",
                $"Fix the JSON, e.g. {Example(def)}.");
            return false;
        }

        if (def.Format == ValueFormat.HeaderMap && root.ValueKind == JsonValueKind.Array)
        {
            return LegacyHeaders(ctx, def, "a [\"Name: value\"] list");
        }

        var ok = def.ValueType switch
        {
            ConfigValueType.Object => root.ValueKind == JsonValueKind.Object,
            ConfigValueType.StringArray or ConfigValueType.EnumArray => root.ValueKind == JsonValueKind.Array && root.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String),
            ConfigValueType.ObjectArray => root.ValueKind == JsonValueKind.Array && root.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object),
            ConfigValueType.StringOrObjectArray => root.ValueKind == JsonValueKind.Array && root.EnumerateArray().All(e => e.ValueKind is JsonValueKind.Object or JsonValueKind.String),
            _ => true,
        };

        // orgPluginSettings: the older record form is a deprecated object, judged by its own rule.
        if (!ok && !(def.Name == "orgPluginSettings" && root.ValueKind == JsonValueKind.Object))
        {
            ctx.Error(ConfigDiagnosticCodes.WrongJsonShape, def.Name,
                $"'{def.Name}' must be {Expected(def)}, but the JSON is {Kind(root)}{(root.ValueKind == JsonValueKind.Array ? " with items of another type" : string.Empty)}.",
                $"Write it as {Example(def)}.");
            return false;
        }

        if (def.ValueType == ConfigValueType.EnumArray)
        {
            foreach (var item in root.EnumerateArray())
            {
                if (!CheckEnumValue(ctx, def, item.GetString()!, $"{def.Name}[]"))
                {
                    return false;
                }
            }
        }

        if (def.Format == ValueFormat.HeaderMap)
        {
            foreach (var p in root.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                {
                    ctx.Error(ConfigDiagnosticCodes.WrongJsonShape, def.Name,
                        $"'{def.Name}.{p.Name}' must be a string, but it is {Kind(p.Value)}.", $"Quote the value of \"{p.Name}\".");
                    return false;
                }
            }
        }

        ctx.SetJson(def.Name, root);
        return true;
    }

    private static bool LegacyHeaders(ValidationContext ctx, KeyDefinition def, string form)
    {
        // §2.10: string and list forms of the header keys are rejected as malformed after the cut-off.
        if (ctx.CutoffPassed)
        {
            ctx.Error(ConfigDiagnosticCodes.LegacyHeaderForm, def.Name,
                $"'{def.Name}' uses {form}, a deprecated form; {ctx.CutoffText}, so the app rejects it as malformed.",
                $"Write '{def.Name}' as a JSON object, e.g. {{\"X-Org-Id\":\"team1\"}}.");
            return false;
        }

        ctx.Warning(ConfigDiagnosticCodes.LegacyHeaderForm, def.Name,
            $"'{def.Name}' uses {form}, a deprecated form ({ctx.CutoffText}).",
            $"Write '{def.Name}' as a JSON object, e.g. {{\"X-Org-Id\":\"team1\"}}.");
        return true;
    }

    private static string Expected(KeyDefinition def) => def.ValueType switch
    {
        ConfigValueType.Object => "a JSON object",
        ConfigValueType.StringArray => "a JSON array of strings",
        ConfigValueType.EnumArray => "a JSON array of strings",
        ConfigValueType.ObjectArray => "a JSON array of objects",
        ConfigValueType.StringOrObjectArray => "a JSON array of strings and/or objects",
        _ => "JSON",
    };

    private static string Example(KeyDefinition def) => def.Name switch
    {
        "inferenceModels" => $"[\"{ModelRules.ExampleProfileId}\"]",
        "managedMcpServers" => "[{\"name\":\"docs\",\"url\":\"https://mcp.example.com/mcp\"}]",
        "allowedWorkspaceFolders" => "[{\"path\":\"~/Documents/Claude\"}]",
        "coworkEgressAllowedHosts" => "[\"pypi.org\",\"*.example.com\"]",
        "banner" => "{\"enabled\":true,\"text\":\"Internal use only\"}",
        _ => def.ValueType switch
        {
            ConfigValueType.Object => "{\"name\":\"value\"}",
            ConfigValueType.ObjectArray => "[{\"name\":\"value\"}]",
            _ => def.EnumValues.Count > 0 ? $"[\"{def.EnumValues[0]}\"]" : "[\"value\"]",
        },
    };

    public static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Clean(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();

    [GeneratedRegex("^[a-z0-9][a-z0-9.:-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VertexProject();

    [GeneratedRegex("^[a-z0-9-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex FoundryResource();

    [GeneratedRegex(@"^(?:[A-Za-z]:[\\/]|\\\\)", RegexOptions.CultureInvariant)]
    private static partial Regex WindowsAbsolute();
}
