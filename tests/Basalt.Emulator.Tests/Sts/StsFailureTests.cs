using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Basalt.Aws;
using Basalt.Emulator.Tests.TestSupport;
using Basalt.Emulator.Time;

namespace Basalt.Emulator.Tests.Sts;

/// <summary>
/// STS failure paths, driven by the official AWS SDK for .NET (AWSSDK.SecurityToken) and by raw awsQuery
/// requests where the SDK cannot produce the fault (a tampered signature).
/// </summary>
public sealed class StsFailureTests
{
    private static AmazonSecurityTokenServiceClient Client(EmulatorServer emulator, AWSCredentials credentials)
        => new(credentials, new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = emulator.BaseAddress.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });

    [Fact]
    public async Task Dotnet_sdk_GetCallerIdentity_and_AssumeRole_succeed()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sts = Client(emulator, new BasicAWSCredentials(org.AliceKeyId, org.AliceSecret));

        var me = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        var role = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = TestOrg.RoleArn("Developer"), RoleSessionName = "dotnet", ExternalId = TestOrg.ExternalId, DurationSeconds = 900 });

        Assert.Equal("arn:aws:iam::111122223333:user/engineering/alice", me.Arn);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/Developer/dotnet", role.AssumedRoleUser.Arn);
        Assert.StartsWith("ASIA", role.Credentials.AccessKeyId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_access_key_is_InvalidClientTokenId()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sts = Client(emulator, new BasicAWSCredentials("AKIAI44QH8DHBEXAMPLE", org.AliceSecret));

        var e = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.Equal("InvalidClientTokenId", e.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        Assert.Equal(ErrorType.Sender, e.ErrorType);
    }

    [Fact]
    public async Task Wrong_secret_is_SignatureDoesNotMatch()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sts = Client(emulator, new BasicAWSCredentials(org.AliceKeyId, org.CarolSecret));

        var e = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
    }

    [Fact]
    public async Task Tampered_signature_gets_an_awsQuery_ErrorResponse_document()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        var body = Encoding.UTF8.GetBytes("Action=GetCallerIdentity&Version=2011-06-15");
        var host = $"{emulator.BaseAddress.Host}:{emulator.BaseAddress.Port}";
        var request = new SigV4Request { Method = "POST", RawPath = "/", Headers = [new("host", host), new("content-type", "application/x-www-form-urlencoded; charset=utf-8")], Body = body };
        var signature = SigV4Signer.SignHeaders(request, new AwsCredentials(org.AliceKeyId, org.AliceSecret), "us-east-1", "sts", DateTimeOffset.UtcNow);
        using var message = new HttpRequestMessage(HttpMethod.Post, emulator.BaseAddress) { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        foreach (var (name, value) in signature.HeadersToAdd)
        {
            var tampered = name == "Authorization" ? value[..^4] + "0000" : value;
            message.Headers.TryAddWithoutValidation(name, tampered);
        }

        using var http = new HttpClient();
        using var response = await http.SendAsync(message);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());

        XNamespace ns = "https://sts.amazonaws.com/doc/2011-06-15/";
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ns + "ErrorResponse", xml.Root!.Name);
        Assert.Equal("Sender", xml.Root.Element(ns + "Error")!.Element(ns + "Type")!.Value);
        Assert.Equal("SignatureDoesNotMatch", xml.Root.Element(ns + "Error")!.Element(ns + "Code")!.Value);
        Assert.Equal(response.Headers.GetValues("x-amzn-RequestId").Single(), xml.Root.Element(ns + "RequestId")!.Value);
    }

    [Fact]
    public async Task Session_credentials_expire_when_the_clock_passes_their_expiration()
    {
        var clock = new ManualTimeProvider();
        var org = new TestOrg(time: clock);
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var alice = Client(emulator, new BasicAWSCredentials(org.AliceKeyId, org.AliceSecret));
        var role = await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = TestOrg.RoleArn("Developer"), RoleSessionName = "short", ExternalId = TestOrg.ExternalId, DurationSeconds = 900 });
        using var session = Client(emulator, new SessionAWSCredentials(role.Credentials.AccessKeyId, role.Credentials.SecretAccessKey, role.Credentials.SessionToken));
        var before = await session.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        clock.Advance(TimeSpan.FromSeconds(901));
        var e = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => session.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.Equal("arn:aws:sts::111122223333:assumed-role/Developer/short", before.Arn);
        Assert.Equal("ExpiredToken", e.ErrorCode);
        Assert.Contains("expired", e.Message, StringComparison.Ordinal);
        var last = emulator.RequestLog.Snapshot()[^1];
        Assert.Equal(("arn:aws:sts::111122223333:assumed-role/Developer/short", "GetCallerIdentity", "ExpiredToken"), (last.PrincipalArn, last.Operation, last.Outcome));
    }

    [Theory]
    [InlineData(null, "AccessDenied")]
    [InlineData("wrong-external-id", "AccessDenied")]
    public async Task AssumeRole_without_the_right_external_id_is_AccessDenied(string? externalId, string expected)
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sts = Client(emulator, new BasicAWSCredentials(org.AliceKeyId, org.AliceSecret));

        var e = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = TestOrg.RoleArn("Developer"), RoleSessionName = "x1", ExternalId = externalId }));

        Assert.Equal(expected, e.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
    }

    [Fact]
    public async Task AssumeRole_duration_limits_follow_the_role_and_role_chaining()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var alice = Client(emulator, new BasicAWSCredentials(org.AliceKeyId, org.AliceSecret));

        var tooLong = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = TestOrg.RoleArn("Developer"), RoleSessionName = "long", ExternalId = TestOrg.ExternalId, DurationSeconds = 5 * 3600 }));
        var developer = await alice.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = TestOrg.RoleArn("Developer"), RoleSessionName = "dev", ExternalId = TestOrg.ExternalId, DurationSeconds = 4 * 3600 });
        using var chained = Client(emulator, new SessionAWSCredentials(developer.Credentials.AccessKeyId, developer.Credentials.SecretAccessKey, developer.Credentials.SessionToken));
        var chainTooLong = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => chained.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = TestOrg.RoleArn("Chained"), RoleSessionName = "chain", DurationSeconds = 7200 }));
        var chainOk = await chained.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = TestOrg.RoleArn("Chained"), RoleSessionName = "chain" });

        Assert.Equal("ValidationError", tooLong.ErrorCode);
        Assert.Contains("MaxSessionDuration", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal("ValidationError", chainTooLong.ErrorCode);
        Assert.Contains("role chaining", chainTooLong.Message, StringComparison.Ordinal);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/Chained/chain", chainOk.AssumedRoleUser.Arn);
    }

    [Fact]
    public async Task Unknown_action_is_InvalidAction()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var http = new HttpClient();

        using var response = await http.PostAsync(emulator.BaseAddress, new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "DecodeAuthorizationMessage", ["Version"] = "2011-06-15" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>InvalidAction</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
