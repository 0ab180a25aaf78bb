using System.Text.Json.Serialization;
using Basalt.Policy.Archive;

namespace Basalt.Policy;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PromptArchive.Payload))]
[JsonSerializable(typeof(ArchivedExchange))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
