using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Basalt.Emulator.Options;
using Basalt.Emulator.Tests.TestSupport;
using Basalt.Emulator.Time;

namespace Basalt.Emulator.Tests.Sts;

/// <summary>AssumeRoleWithWebIdentity trust decisions, with the official AWS SDK for .NET (unsigned call).</summary>
public sealed class WebIdentityTrustTests
{
    private static AmazonSecurityTokenServiceClient Client(EmulatorServer emulator)
        => new(new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig { ServiceURL = emulator.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task Unreachable_issuer_is_IDPCommunicationError()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        var deadIssuer = $"http://127.0.0.1:{FreePort()}";
        var org = new TestOrg();
        org.Options.Roles.Add(new RoleOptions { Name = "Dead", Account = TestOrg.Account, WebIdentity = [new WebIdentityTrust { Issuer = deadIssuer, Audiences = ["a"] }] });
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sts = Client(emulator);

        var e = await Assert.ThrowsAsync<IDPCommunicationErrorException>(() => sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = TestOrg.RoleArn("Dead"),
            RoleSessionName = "s1",
            WebIdentityToken = issuer.Mint(issuer.Claims("a", DateTimeOffset.UtcNow, issuer: deadIssuer)),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
    }

    [Fact]
    public async Task Subject_condition_and_untrusted_roles_are_AccessDenied_and_expiry_follows_the_emulator_clock()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        var clock = new ManualTimeProvider();
        var org = new TestOrg(issuer.Issuer, clock);
        org.Options.Roles.Add(new RoleOptions { Name = "OnlyRepoMain", Account = TestOrg.Account, WebIdentity = [new WebIdentityTrust { Issuer = issuer.Issuer, Audiences = [TestOrg.Audience], Subjects = ["repo:example/basalt:ref:refs/heads/*"] }] });
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sts = Client(emulator);
        AssumeRoleWithWebIdentityRequest Request(string role, string subject) => new()
        {
            RoleArn = TestOrg.RoleArn(role),
            RoleSessionName = "ci",
            WebIdentityToken = issuer.Mint(issuer.Claims(TestOrg.Audience, clock.GetUtcNow(), subject)),
        };

        var allowed = await sts.AssumeRoleWithWebIdentityAsync(Request("OnlyRepoMain", "repo:example/basalt:ref:refs/heads/main"));
        var wrongSubject = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleWithWebIdentityAsync(Request("OnlyRepoMain", "repo:someone/else:ref:refs/heads/main")));
        var notTrusted = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleWithWebIdentityAsync(Request("Developer", "user-1")));
        var token = Request("Federated", "user-1");
        clock.Advance(TimeSpan.FromHours(2));
        var expired = await Assert.ThrowsAsync<Amazon.SecurityToken.Model.ExpiredTokenException>(() => sts.AssumeRoleWithWebIdentityAsync(token));

        Assert.Equal("repo:example/basalt:ref:refs/heads/main", allowed.SubjectFromWebIdentityToken);
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (wrongSubject.ErrorCode, wrongSubject.StatusCode));
        Assert.Equal("AccessDenied", notTrusted.ErrorCode);
        Assert.Contains("Token expired", expired.Message, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
