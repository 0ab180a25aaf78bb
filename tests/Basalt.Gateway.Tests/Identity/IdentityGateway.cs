using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity.ApiKeys;
using Basalt.Testing;
using Basalt.Testing.Identity;

namespace Basalt.Gateway.Tests.Identity;

/// <summary>
/// The real gateway host with an <c>identity:</c> section (issue 9) in front of the emulator: two OIDC issuers on
/// loopback (<see cref="Issuer"/> for audience <see cref="Audience"/>, <see cref="Second"/> for
/// <see cref="OtherAudience"/>), a third IdP that is not configured, <c>user-1</c> a member of engineering, and
/// managed keys in a SQLite file. Shared by a test class (xunit runs its tests one after another).
/// </summary>
public sealed class IdentityGateway : IAsyncLifetime
{
    public const string Audience = "gateway-client";
    public const string OtherAudience = "finance-gateway";

    private readonly TempDirectory _dir = new("identity-gateway");

    /// <summary>When the fixture started; tokens are issued relative to it (the gateway runs on the real clock,
    /// as the emulator checks the gateway's signing time).</summary>
    public DateTimeOffset Now { get; } = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public TestJwt Idp { get; } = new();

    public TestJwt OtherIdp { get; } = new();

    public TestJwt Attacker { get; } = new();

    public LoopbackIssuer Issuer { get; private set; } = null!;

    public LoopbackIssuer Second { get; private set; } = null!;

    public LoopbackIssuer Unconfigured { get; private set; } = null!;

    public GatewayTestHost Host { get; private set; } = null!;

    public ApiKeyService Keys => Host.Gateway.ApiKeys!;

    public string KeyStore => _dir.Combine("keys", "gateway-keys.db");

    public async Task InitializeAsync()
    {
        Issuer = new LoopbackIssuer(Idp.JwksJson());
        Second = new LoopbackIssuer(OtherIdp.JwksJson());
        Unconfigured = new LoopbackIssuer(Attacker.JwksJson());
        var identity = new StringBuilder();
        identity.AppendLine("  identity:");
        identity.AppendLine("    oidc:");
        identity.AppendLine($"      - {{ issuer: \"{Issuer.Issuer}\", audiences: [{Audience}], clientId: {Audience} }}");
        identity.AppendLine($"      - {{ issuer: \"{Second.Issuer}\", audiences: [{OtherAudience}] }}");
        identity.AppendLine("    members: { engineering: [user-1] }");
        identity.AppendLine($"    managedKeys: {{ sqlite: \"{KeyStore}\" }}");
        Host = await GatewayTestHost.StartAsync(new GatewayTestOptions { GatewayYaml = e => GatewayTestHost.GatewayYaml(e, new GatewayTestOptions()) + identity });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Issuer.Dispose();
        Second.Dispose();
        Unconfigured.Dispose();
        Idp.Dispose();
        OtherIdp.Dispose();
        Attacker.Dispose();
        _dir.Dispose();
    }

    /// <summary>Claims of a good ID token of the first issuer for <c>user-1</c>.</summary>
    public JsonObject Claims() => TestJwt.Claims(Issuer.Issuer, Audience, Now, nonce: null);

    /// <summary>Upstream calls the emulator has seen so far (Bedrock and STS alike).</summary>
    public int UpstreamCalls => Host.Emulator.RequestLog.Snapshot().Count;

    /// <summary>Sends a small non-streamed message with the credential as bearer and/or <c>x-api-key</c>.</summary>
    public async Task<(int Status, JsonObject Body)> MessageAsync(string? bearer, string? apiKey, string model = "haiku")
    {
        using var client = Host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent($$"""{"model":"{{model}}","max_tokens":64,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", "Bearer " + bearer);
        }

        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>GET with a bearer token; returns the status and the body text.</summary>
    public async Task<(int Status, string Body)> GetAsync(string path, string bearer)
    {
        using var client = Host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await client.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POST to the Bedrock-format side with a bearer token.</summary>
    public async Task<(int Status, string Body, string? ErrorType)> InvokeAsync(string modelId, string bearer)
    {
        using var client = Host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var content = new StringContent("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":32,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/model/{Uri.EscapeDataString(modelId)}/invoke", content);
        var type = response.Headers.TryGetValues("x-amzn-errortype", out var t) ? t.First() : null;
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), type);
    }
}
