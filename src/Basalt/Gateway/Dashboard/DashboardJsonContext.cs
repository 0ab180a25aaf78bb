using System.Text.Json.Serialization;

namespace Basalt.Gateway.Dashboard;

/// <summary>Source-generated JSON for the dashboard's cookie payloads (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DashboardCookies.SessionPayload))]
[JsonSerializable(typeof(DashboardCookies.SignInState))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
