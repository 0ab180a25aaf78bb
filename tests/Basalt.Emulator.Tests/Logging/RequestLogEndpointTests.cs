using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Basalt.Emulator.Tests.TestSupport;
using Basalt.Emulator.Time;

namespace Basalt.Emulator.Tests.Logging;

public sealed class RequestLogEndpointTests
{
    [Fact]
    public async Task Requests_endpoint_lists_calls_and_filters_by_principal()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using (var alice = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(org.AliceKeyId, org.AliceSecret), new AmazonSecurityTokenServiceConfig { ServiceURL = emulator.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }))
        using (var carol = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(org.CarolKeyId, org.CarolSecret), new AmazonSecurityTokenServiceConfig { ServiceURL = emulator.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }))
        {
            await alice.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            await carol.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => carol.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = TestOrg.RoleArn("Developer"), RoleSessionName = "nope" }));
        }

        using var http = new HttpClient();
        using var all = JsonDocument.Parse(await http.GetStringAsync(new Uri(emulator.BaseAddress, "_emulator/requests")));
        using var carolOnly = JsonDocument.Parse(await http.GetStringAsync(new Uri(emulator.BaseAddress, "_emulator/requests?principal=" + Uri.EscapeDataString("arn:aws:iam::444455556666:user/carol"))));

        Assert.Equal(3, all.RootElement.GetProperty("requests").GetArrayLength());
        var entries = carolOnly.RootElement.GetProperty("requests").EnumerateArray().Select(e => (e.GetProperty("operation").GetString(), e.GetProperty("outcome").GetString(), e.GetProperty("statusCode").GetInt32())).ToList();
        Assert.Equal([("GetCallerIdentity", "Success", 200), ("AssumeRole", "AccessDenied", 403)], entries);
    }

    [Fact]
    public async Task Clock_endpoint_moves_a_manual_clock_and_refuses_the_system_clock()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        await using var manual = await EmulatorServer.StartAsync(new TestOrg(time: clock).Options);
        await using var system = await EmulatorServer.StartAsync(new TestOrg().Options);
        using var http = new HttpClient();

        using var moved = await http.PostAsync(new Uri(manual.BaseAddress, "_emulator/clock/advance?seconds=3600"), null);
        using var refused = await http.PostAsync(new Uri(system.BaseAddress, "_emulator/clock/advance?seconds=3600"), null);

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(start.AddHours(1), clock.GetUtcNow());
        Assert.Equal(start.AddHours(1).ToString("R"), moved.Headers.Date!.Value.ToString("R"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }
}
