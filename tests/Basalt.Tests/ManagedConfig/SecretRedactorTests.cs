using Basalt.ManagedConfig;

namespace Basalt.Tests.ManagedConfig;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Secret_keys_show_only_their_length() => Assert.Equal("***(40 chars)", SecretRedactor.Redact("inferenceGatewayApiKey", new string('k', 40)));

    [Fact]
    public void Misspelled_secret_keys_are_still_redacted()
    {
        Assert.True(SecretRedactor.IsSecretKey("inferenceGatewayApiKy"));
        Assert.True(SecretRedactor.IsSecretKey("myPassword"));
        Assert.False(SecretRedactor.IsSecretKey("inferenceBedrockRegion"));
    }

    [Fact]
    public void Url_user_info_is_masked() =>
        Assert.Equal("https://***@proxy.example.com/path", SecretRedactor.Redact("inferenceBedrockBaseUrl", "https://admin:hunter2@proxy.example.com/path"));

    [Fact]
    public void Json_credentials_and_mcp_header_maps_are_masked_but_routing_values_kept()
    {
        var redacted = SecretRedactor.Redact("managedMcpServers",
            "[{\"name\":\"a\",\"headers\":{\"X-Team\":\"blue\"},\"oauth\":{\"clientId\":\"cid\",\"clientSecret\":\"s3cr3t\",\"clientSecretHelper\":\"/opt/h\"}}]")!;
        Assert.DoesNotContain("s3cr3t", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("blue", redacted, StringComparison.Ordinal);
        Assert.Contains("cid", redacted, StringComparison.Ordinal);
        Assert.Contains("/opt/h", redacted, StringComparison.Ordinal);
        var headers = SecretRedactor.Redact("inferenceCustomHeaders", "{\"X-Org-Id\":\"team1\",\"Authorization\":\"Bearer xyz\"}")!;
        Assert.Contains("team1", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("xyz", headers, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_values_pass_through() => Assert.Equal("us-west-2", SecretRedactor.Redact("inferenceBedrockRegion", "us-west-2"));
}
