using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Emulator;
using Basalt.Emulator.Options;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity;

namespace Basalt.Gateway.Tests.Identity;

/// <summary>
/// AWS identities without an IdP (issue 9 item 4): the AWS SDK for JavaScript signs in to the emulator's IAM
/// Identity Center as alice, gets the BedrockInference permission set's role credentials, and the Smithy presigner
/// makes a presigned GetCallerIdentity token (tests/interop/gateway/aws-identity-token.mjs). The gateway executes it
/// against the emulator's STS, maps the ARN to alice, and her permission set to group limited. Expired, tampered,
/// other-service, other-region and unbound tokens are refused with 401 and no Bedrock call.
/// </summary>
public sealed class AwsIdentityTests
{
    private const string Account = "111122223333";
    private const string Audience = "basalt-test-gateway";

    [Fact]
    public async Task A_presigned_identity_from_identity_center_role_credentials_authenticates_as_that_person_and_bad_ones_do_not()
    {
        var org = new EmulatorOptions();
        org.Accounts.Add(new AccountOptions { Id = Account, Name = "Example Corp Engineering", Email = "aws-engineering@example.com" });
        org.Users.Add(new UserOptions { Name = "alice", Account = Account });
        org.PermissionSets.Add(new PermissionSetOptions { Name = "BedrockInference", Assignments = [new PermissionSetAssignment { Account = Account, Users = ["alice"] }] });
        await using var identityCenter = await EmulatorServer.StartAsync(org);
        var sts = identityCenter.BaseAddress.ToString().TrimEnd('/');
        var identity = $"  identity:\n    aws:\n      stsEndpoint: \"{sts}\"\n      region: us-east-1\n      audience: {Audience}\n      permissionSets: {{ BedrockInference: limited }}\n";
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { GatewayYaml = e => GatewayTestHost.GatewayYaml(e, new GatewayTestOptions()) + identity });

        var tokens = await GatewayTestHost.NodeAsync("aws-identity-token.mjs", new { ssoEndpoint = sts, stsEndpoint = sts, region = "us-east-1", approveAs = "alice", accountId = Account, roleName = "BedrockInference", audience = Audience });
        var token = (string)tokens["token"]!;

        Assert.Equal(200, (await MessageAsync(host, token, "haiku")).Status);
        var usage = Assert.Single(await host.Usage.WaitAsync(1));
        Assert.Equal(AuthenticationMethod.AwsIdentity, usage.Principal.Method);
        Assert.StartsWith($"arn:aws:sts::{Account}:assumed-role/AWSReservedSSO_BedrockInference_", usage.Principal.UserId, StringComparison.Ordinal);
        Assert.EndsWith("/alice", usage.Principal.UserId, StringComparison.Ordinal);
        Assert.Equal("alice", usage.Principal.DisplayName);
        Assert.Equal(["limited"], usage.Principal.Groups);
        var (denied, deniedBody) = await MessageAsync(host, token, "sonnet");
        Assert.Equal(403, denied);
        Assert.Contains("model claude-sonnet-4-5 is not allowed for arn:aws:sts::", deniedBody, StringComparison.Ordinal);

        var bedrockCalls = host.Emulator.RequestLog.Snapshot().Count;
        foreach (var (name, bad, reason) in new[]
        {
            ("expired", (string)tokens["expired"]!, "expired at"),
            ("one byte changed", ChangeSignatureByte(token), "AWS STS refused the AWS identity token"),
            ("another service", (string)tokens["otherService"]!, "service 'iam'"),
            ("another region", (string)tokens["otherRegion"]!, "region 'eu-west-1'"),
            ("not bound to this gateway", (string)tokens["noAudience"]!, "x-basalt-gateway-id"),
            ("another host", Retarget(token, "http://169.254.169.254"), "not for this gateway's STS endpoint"),
            ("not base64url", "basalt-aws-v1.%%%", "not base64url"),
        })
        {
            var (status, body) = await MessageAsync(host, bad, "haiku");
            Assert.True(status == 401, $"{name}: {status} {body}");
            var message = (string?)JsonNode.Parse(body)?["error"]?["message"] ?? body;
            Assert.True(message.Contains(reason, StringComparison.Ordinal), $"{name}: {message}");
            Assert.DoesNotContain(bad, body, StringComparison.Ordinal);
        }

        Assert.Equal(bedrockCalls, host.Emulator.RequestLog.Snapshot().Count);
    }

    /// <summary>Decodes the presigned URL, changes one character of its signature, encodes it again.</summary>
    private static string ChangeSignatureByte(string token)
    {
        var url = Decode(token);
        var at = url.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + "X-Amz-Signature=".Length + 5;
        var changed = url[..at] + (url[at] == 'a' ? 'b' : 'a') + url[(at + 1)..];
        return Encode(changed);
    }

    private static string Retarget(string token, string origin)
    {
        var url = Decode(token);
        return Encode(origin + url[url.IndexOf("/?", StringComparison.Ordinal)..]);
    }

    private static string Decode(string token) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan("basalt-aws-v1.".Length)));

    private static string Encode(string url) => "basalt-aws-v1." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(url));

    private static async Task<(int Status, string Body)> MessageAsync(GatewayTestHost host, string token, string model)
    {
        using var client = host.Client();
        client.DefaultRequestHeaders.TryAddWithoutValidation("authorization", "Bearer " + token);
        using var content = new StringContent($$"""{"model":"{{model}}","max_tokens":32,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/messages", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
