using System.Text.Json.Serialization;

namespace Basalt.Usage.Records;

/// <summary>Source-generated JSON for journal lines and reports (trim-safe; enums as names so a journal is readable with jq).</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UsageRecord))]
internal sealed partial class UsageJsonContext : JsonSerializerContext;
