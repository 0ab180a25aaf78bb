using Basalt.Aws;
using Basalt.Identity.Aws;

namespace Basalt.Tests.Identity.Aws;

/// <summary>Minting the gateway's AWS identity token (what <c>basalt-credential gateway-token</c> prints) and the gateway's local checks of it.</summary>
public sealed class AwsIdentityTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
    private static readonly AwsIdentityOptions Gateway = new() { StsEndpoint = new Uri("https://sts.us-east-1.amazonaws.com"), Region = "us-east-1", Audience = "gw-prod" };

    [Fact]
    public void A_minted_token_passes_the_gateways_local_checks_and_signs_the_gateway_id()
    {
        var credentials = new AwsCredentials("ASIAEXAMPLEEXAMPLE01", "secret-key-value", "session-token-value");
        var token = AwsIdentityToken.Mint(credentials, Gateway.StsEndpoint, "us-east-1", "gw-prod", TimeSpan.FromMinutes(15), Now);

        Assert.StartsWith(AwsIdentityToken.Prefix, token, StringComparison.Ordinal);
        Assert.True(AwsIdentityToken.TryParse(token, Gateway, Now.AddMinutes(1), out var url, out var expires, out var reason), reason);
        Assert.Equal(Now.AddMinutes(15), expires);
        Assert.Contains("X-Amz-SignedHeaders=host%3Bx-basalt-gateway-id", url!.Query, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Security-Token=", url.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-value", token, StringComparison.Ordinal);

        // Unbound, it is refused by a gateway that has an id; for another region, by every gateway of this region.
        Assert.False(AwsIdentityToken.TryParse(AwsIdentityToken.Mint(credentials, Gateway.StsEndpoint, "us-east-1", null, TimeSpan.FromMinutes(15), Now), Gateway, Now, out _, out _, out reason));
        Assert.Contains("x-basalt-gateway-id", reason, StringComparison.Ordinal);
        Assert.False(AwsIdentityToken.TryParse(AwsIdentityToken.Mint(credentials, Gateway.StsEndpoint, "eu-west-1", "gw-prod", TimeSpan.FromMinutes(15), Now), Gateway, Now, out _, out _, out reason));
        Assert.Contains("region 'eu-west-1'", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_does_not_outlive_the_credentials_that_signed_it()
    {
        var credentials = new AwsCredentials("ASIAEXAMPLEEXAMPLE01", "secret-key-value", "session", Now.AddMinutes(4));
        var token = AwsIdentityToken.Mint(credentials, Gateway.StsEndpoint, "us-east-1", "gw-prod", TimeSpan.FromMinutes(15), Now);

        Assert.True(AwsIdentityToken.TryParse(token, Gateway, Now, out _, out var expires, out var reason), reason);
        Assert.Equal(Now.AddMinutes(4), expires);
        Assert.False(AwsIdentityToken.TryParse(token, Gateway, Now.AddMinutes(4), out _, out _, out reason));
        Assert.Contains("expired", reason, StringComparison.Ordinal);
    }
}
