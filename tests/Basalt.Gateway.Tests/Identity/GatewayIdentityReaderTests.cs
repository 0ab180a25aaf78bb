using Basalt.Deployment.Secrets;
using Basalt.Gateway.Configuration;

namespace Basalt.Gateway.Tests.Identity;

/// <summary>The <c>identity:</c> section of the gateway configuration (issue 9): what it yields and how bad input is reported.</summary>
public sealed class GatewayIdentityReaderTests
{
    private const string Base = """
        gateway:
          upstreams:
            east:
              region: us-east-1
              credentials: { source: static, accessKeyId: "${env:AKID}", secretAccessKey: "${env:SECRET}" }
          models:
            claude-sonnet-4-5:
              routes: [ { upstream: east, model: us.anthropic.claude-sonnet-4-5-20250929-v1:0 } ]
          groups:
            engineering: { models: ["*"] }
            finance: { models: [claude-sonnet-4-5] }

        """;

    private static readonly Dictionary<string, string> Env = new() { ["AKID"] = "AKIAEXAMPLEEXAMPLE12", ["SECRET"] = "s3cr3t-value-never-printed" };

    private static GatewayConfigResult Parse(string identity) => GatewayConfigReader.Parse(Base + identity, "/etc/basalt/gw.yaml", new SecretReferenceResolver("/tmp", n => Env.GetValueOrDefault(n)));

    [Fact]
    public void Issuers_members_and_the_key_store_are_read_with_their_group_mapping()
    {
        var result = Parse("""
              identity:
                oidc:
                  - issuer: https://login.example.com/tenant/v2.0
                    audiences: [api://basalt]
                    clientId: basalt-desktop
                    groups: { 5c1f0000-group-id: engineering }
                    claimRules: [ { claim: department, value: Finance, group: finance } ]
                    costCentreClaim: cost_center
                    clockSkewSeconds: 30
                  - issuer: http://127.0.0.1:9000
                    audiences: [local]
                    jwksUri: http://127.0.0.1:9000/keys
                members: { finance: [user-7] }
                managedKeys: { sqlite: state/keys.db }
            """);

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        var identity = result.Options!.Identity;
        Assert.Equal(2, identity.Issuers.Count);
        var entra = identity.Issuers[0];
        Assert.Equal(["api://basalt"], entra.Audiences);
        Assert.Equal("basalt-desktop", entra.ClientId);
        Assert.Equal(TimeSpan.FromSeconds(30), entra.ClockSkew);
        Assert.Equal("cost_center", entra.CostCentreClaim);
        // Once groups are mapped, an unmapped IdP group is not a gateway group, even if its name matches one.
        Assert.False(entra.Groups.KeepUnmappedGroups);
        Assert.Equal(["engineering", "finance"], entra.Groups.Resolve("user-1", c => c switch
        {
            "groups" => ["5c1f0000-group-id", "finance"],
            "department" => ["Finance"],
            _ => [],
        }));
        Assert.Equal(["finance"], entra.Groups.Resolve("user-7", _ => []));
        Assert.True(identity.Issuers[1].Groups.KeepUnmappedGroups);
        Assert.Equal(new Uri("http://127.0.0.1:9000/keys"), identity.Issuers[1].JwksUri);
        Assert.Equal("/etc/basalt/state/keys.db", identity.ManagedKeyStore);
    }

    [Fact]
    public void Managed_keys_true_uses_the_default_file_beside_the_configuration_and_no_section_means_off()
    {
        Assert.Equal("/etc/basalt/gateway-keys.db", Parse("  identity: { managedKeys: true }\n").Options!.Identity.ManagedKeyStore);
        Assert.Null(Parse("  identity: { managedKeys: false }\n").Options!.Identity.ManagedKeyStore);
        var none = Parse(string.Empty).Options!.Identity;
        Assert.Null(none.ManagedKeyStore);
        Assert.Empty(none.Issuers);
    }

    [Fact]
    public void A_mapping_to_a_group_that_is_not_configured_is_an_error_at_its_line_with_a_suggestion()
    {
        var result = Parse("""
              identity:
                oidc:
                  - issuer: https://idp.example.com
                    audiences: [gw]
                    groups: { admins: enginering }
            """);

        Assert.True(result.HasErrors);
        var d = Assert.Single(result.Diagnostics, d => d.Code == GatewayDiagnosticCodes.UnknownIdentityGroup);
        Assert.StartsWith("/etc/basalt/gw.yaml:16:27:", d.ToString(), StringComparison.Ordinal);
        Assert.Contains("group 'enginering' is not configured", d.ToString(), StringComparison.Ordinal);
        Assert.Contains("did you mean 'engineering'?", d.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://idp.example.com", GatewayDiagnosticCodes.BadIssuer, "not an https URL")]
    [InlineData("https://user:pw@idp.example.com", GatewayDiagnosticCodes.BadIssuer, "not an https URL")]
    [InlineData("not a url", GatewayDiagnosticCodes.BadIssuer, "not an https URL")]
    public void An_issuer_that_is_not_https_off_loopback_is_refused(string issuer, string code, string message)
    {
        var result = Parse($"  identity:\n    oidc:\n      - {{ issuer: \"{issuer}\", audiences: [gw] }}\n");

        var d = Assert.Single(result.Diagnostics, d => d.Code == code);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
        Assert.Null(result.Options);
    }

    [Fact]
    public void An_issuer_without_audiences_a_duplicate_issuer_and_an_unknown_key_are_each_reported()
    {
        var result = Parse("""
              identity:
                oidc:
                  - { issuer: "https://idp.example.com" }
                  - { issuer: "https://a.example.com", audiences: [x] }
                  - { issuer: "https://a.example.com/", audiences: [y] }
                member: { finance: [u] }
            """);

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("needs the audiences", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == GatewayDiagnosticCodes.DuplicateIssuer);
        Assert.Contains(result.Diagnostics, d => d.ToString().Contains("did you mean 'members'?", StringComparison.Ordinal));
        Assert.Null(result.Options);
    }

    [Fact]
    public void Aws_identities_map_permission_sets_roles_and_accounts_to_groups_and_refuse_a_plain_http_sts_off_loopback()
    {
        var result = Parse("""
              identity:
                aws:
                  stsEndpoint: https://sts.us-east-1.amazonaws.com
                  region: us-east-1
                  audience: prod-gateway
                  permissionSets: { BedrockInference: engineering }
                  accounts: { "444455556666": finance }
            """);

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        var aws = result.Options!.Identity.Aws!;
        Assert.Equal("prod-gateway", aws.Audience);
        Assert.Equal(["engineering", "finance"], aws.Groups.Resolve("arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_BedrockInference_ab12/alice", c => c switch
        {
            "aws:permissionSet" => ["BedrockInference"],
            "aws:account" => ["444455556666"],
            _ => [],
        }));

        var http = Parse("  identity:\n    aws: { stsEndpoint: \"http://sts.example.com\", region: us-east-1 }\n");
        Assert.Contains(http.Diagnostics, d => d.Code == GatewayDiagnosticCodes.BadIssuer && d.Message.Contains("http://sts.example.com", StringComparison.Ordinal));
        Assert.Null(http.Options);
    }

    [Fact]
    public void The_authorization_server_is_read_with_its_sign_in_issuer_clients_and_lifetimes()
    {
        var result = Parse("""
              identity:
                oidc:
                  - { issuer: https://login.example.com/tenant/v2.0, audiences: [api://basalt], groups: { g1: engineering } }
                oauth:
                  issuer: https://gateway.example.com
                  signIn: { issuer: https://login.example.com/tenant/v2.0, clientId: basalt-gateway, scopes: [openid, email] }
                  clients: { basalt-cli: ["http://127.0.0.1/callback", "https://app.example.com/cb"] }
                  accessTokenLifetime: 5m
                  refreshTokenLifetime: 7d
                  pollInterval: 2s
                  revocationCheckInterval: 10s
                  userCodeAttempts: { perAddress: 5, gatewayWide: 200, perDeviceCode: 50, window: 30m }
                  sqlite: state/oauth.db
            """);

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        var oauth = result.Options!.Identity.OAuth!;
        Assert.Equal("https://gateway.example.com/", oauth.Issuer!.AbsoluteUri);
        Assert.Same(result.Options.Identity.Issuers[0], oauth.SignIn);
        Assert.Equal("basalt-gateway", oauth.SignInClientId);
        Assert.Equal(["openid", "email"], oauth.SignInScopes);
        Assert.Equal(TimeSpan.FromMinutes(5), oauth.AccessTokenLifetime);
        Assert.Equal(TimeSpan.FromDays(7), oauth.RefreshTokenLifetime);
        Assert.Equal(TimeSpan.FromSeconds(2), oauth.PollInterval);
        Assert.Equal(TimeSpan.FromMinutes(10), oauth.DeviceCodeLifetime);
        Assert.Equal("/etc/basalt/state/oauth.db", oauth.SqliteFile);
        Assert.Equal(TimeSpan.FromSeconds(10), oauth.RevocationCheckInterval);
        Assert.Equal((5, 200, 50, TimeSpan.FromMinutes(30)), (oauth.UserCodeFailuresPerAddress, oauth.UserCodeFailuresGatewayWide, oauth.UserCodeFailuresPerDeviceCode, oauth.UserCodeFailureWindow));
        var client = Assert.Single(oauth.Clients);
        Assert.True(client.Allows("http://127.0.0.1:53180/callback"));
        Assert.True(client.Allows("https://app.example.com/cb"));
        Assert.False(client.Allows("https://app.example.com/cb/other"));
        Assert.False(client.Allows("http://127.0.0.1:53180/callback#x"));
    }

    [Fact]
    public void Identity_center_as_the_sign_in_is_read_with_the_aws_identity_mapping_it_uses()
    {
        var result = Parse("""
              identity:
                aws: { stsEndpoint: "https://sts.us-east-1.amazonaws.com", region: us-east-1, permissionSets: { BedrockInference: finance } }
                oauth:
                  signIn:
                    identityCenter: { startUrl: "https://d-1234567890.awsapps.com/start", region: eu-west-1, accountId: "012345678901", roleName: BedrockInference }
            """);

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        var oauth = result.Options!.Identity.OAuth!;
        Assert.Null(oauth.SignIn);
        var idc = oauth.IdentityCenter!;
        Assert.Equal(("https://d-1234567890.awsapps.com/start", "eu-west-1", "012345678901", "BedrockInference"), (idc.StartUrl, idc.Region, idc.AccountId, idc.RoleName));
        Assert.Null(idc.OidcEndpoint);
        Assert.Same(result.Options.Identity.Aws, idc.Aws);
    }

    [Theory]
    [InlineData("signIn: { identityCenter: { startUrl: \"https://d-1.awsapps.com/start\", region: us-east-1 } }", "identity.oauth.signIn.identityCenter", "'identity.aws' is not configured")]
    [InlineData("signIn: { identityCenter: { region: us-east-1 } }", "identity.oauth.signIn.identityCenter.startUrl", "startUrl")]
    [InlineData("signIn: { identityCenter: { startUrl: \"https://d-1.awsapps.com/start\", region: us-east-1, accountId: \"1234\" } }", "identity.oauth.signIn.identityCenter.accountId", "12-digit")]
    [InlineData("signIn: { issuer: https://login.example.com, clientId: gw, identityCenter: { startUrl: \"https://d-1.awsapps.com/start\", region: us-east-1 } }", "identity.oauth.signIn", "both an OIDC issuer and IAM Identity Center")]
    public void Bad_identity_center_sign_in_settings_are_errors_naming_the_key(string signIn, string path, string message)
    {
        var result = Parse("  identity:\n    oauth:\n      " + signIn + "\n");

        Assert.True(result.HasErrors);
        Assert.Contains(result.Diagnostics, d => d.Key == "gateway." + path && d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Null(result.Options);
    }

    [Fact]
    public void An_authorization_server_whose_sign_in_issuer_is_not_configured_is_an_error_naming_the_choices()
    {
        var result = Parse("""
              identity:
                oidc:
                  - { issuer: https://login.example.com/tenant/v2.0, audiences: [api://basalt] }
                oauth:
                  signIn: { issuer: https://other.example.com, clientId: basalt-gateway }
                  clients: { cli: ["http://example.com/cb"] }
            """);

        Assert.True(result.HasErrors);
        Assert.Contains(result.Diagnostics, d => d.Code == GatewayDiagnosticCodes.BadIssuer && d.Message.Contains("'https://other.example.com' is not one of the issuers under 'oidc:'", StringComparison.Ordinal)
            && d.ToString().Contains("https://login.example.com/tenant/v2.0", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("'http://example.com/cb' is not a usable redirect URI", StringComparison.Ordinal));

        var missing = Parse("""
              identity:
                oauth: { pollInterval: 1s }
            """);
        Assert.Contains(missing.Diagnostics, d => d.Message.Contains("needs the IdP people sign in at", StringComparison.Ordinal) && d.ToString().Contains("signIn", StringComparison.Ordinal));
    }

    [Fact]
    public void User_code_attempt_limits_out_of_range_or_misspelled_are_errors_naming_the_key()
    {
        var result = Parse("""
              identity:
                oidc:
                  - { issuer: https://login.example.com/tenant/v2.0, audiences: [api://basalt] }
                oauth:
                  signIn: { issuer: https://login.example.com/tenant/v2.0, clientId: basalt-gateway }
                  revocationCheckInterval: 1h
                  userCodeAttempts: { perAddress: 0, gatewayWyde: 5 }
            """);

        Assert.True(result.HasErrors);
        Assert.Contains(result.Diagnostics, d => d.ToString().Contains("identity.oauth.userCodeAttempts.perAddress", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.ToString().Contains("gatewayWyde", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.ToString().Contains("identity.oauth.revocationCheckInterval", StringComparison.Ordinal));
    }
}
