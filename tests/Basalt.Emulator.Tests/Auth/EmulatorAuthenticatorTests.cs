using System.Text;
using System.Text.Json;
using Basalt.Aws;
using Basalt.Emulator.Auth;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Identity;
using Basalt.Emulator.Tests.TestSupport;
using Basalt.Emulator.Time;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.Auth;

/// <summary>
/// The authenticator Bedrock endpoints call: SigV4 header auth, long-term and short-term Bedrock API keys
/// (including keys minted by AWS's own @aws/bedrock-token-generator), and the AWS errors it writes.
/// </summary>
public sealed class EmulatorAuthenticatorTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":16,"messages":[]}""");

    [Fact]
    public async Task SigV4_signed_request_authenticates_as_the_key_owner()
    {
        var org = new TestOrg();
        var emulator = new EmulatorContext(org.Options);
        var context = HttpContexts.Signed("POST", "/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke", Body, new AwsCredentials(org.AliceKeyId, org.AliceSecret), "bedrock", DateTimeOffset.UtcNow);

        var result = await emulator.Authenticator.AuthenticateAsync(context, "bedrock");

        Assert.True(result.Succeeded, HttpContexts.ResponseBody(context));
        Assert.Equal("arn:aws:iam::111122223333:user/engineering/alice", result.Principal!.Arn);
        Assert.Equal("alice", result.Principal.UserName);
        Assert.Equal("SigV4", result.Method);
        Assert.Empty(emulator.Log.Snapshot());
    }

    [Fact]
    public async Task Tampered_signature_is_InvalidSignatureException_with_the_error_type_header()
    {
        var org = new TestOrg();
        var emulator = new EmulatorContext(org.Options);
        var context = HttpContexts.Signed("POST", "/model/m/invoke", Body, new AwsCredentials(org.AliceKeyId, org.AliceSecret), "bedrock", DateTimeOffset.UtcNow);
        var authorization = context.Request.Headers.Authorization.ToString();
        context.Request.Headers.Authorization = authorization[..^1] + (authorization[^1] == '0' ? '1' : '0');

        var result = await emulator.Authenticator.AuthenticateAsync(context, "bedrock", "InvokeModel");

        Assert.False(result.Succeeded);
        Assert.Equal(403, context.Response.StatusCode);
        Assert.StartsWith("InvalidSignatureException:", context.Response.Headers["x-amzn-ErrorType"].ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(HttpContexts.ResponseBody(context));
        Assert.Contains("signature we calculated does not match", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        var entry = Assert.Single(emulator.Log.Snapshot());
        Assert.Equal(("arn:aws:iam::111122223333:user/engineering/alice", "InvokeModel", "InvalidSignatureException"), (entry.PrincipalArn, entry.Operation, entry.Outcome));
    }

    [Fact]
    public async Task Unknown_access_key_is_UnrecognizedClientException()
    {
        var org = new TestOrg();
        var emulator = new EmulatorContext(org.Options);
        var context = HttpContexts.Signed("POST", "/model/m/invoke", Body, new AwsCredentials("AKIAI44QH8DHBEXAMPLE", org.AliceSecret), "bedrock", DateTimeOffset.UtcNow);

        var result = await emulator.Authenticator.AuthenticateAsync(context, "bedrock");

        Assert.Equal("UnrecognizedClientException", result.ErrorCode);
        Assert.Equal(403, context.Response.StatusCode);
        Assert.Null(emulator.Log.Snapshot().Single().PrincipalArn);
    }

    [Fact]
    public async Task Request_scoped_to_another_service_is_rejected()
    {
        var org = new TestOrg();
        var emulator = new EmulatorContext(org.Options);
        var context = HttpContexts.Signed("POST", "/model/m/invoke", Body, new AwsCredentials(org.AliceKeyId, org.AliceSecret), "s3", DateTimeOffset.UtcNow);

        var result = await emulator.Authenticator.AuthenticateAsync(context, "bedrock");

        Assert.Equal("InvalidSignatureException", result.ErrorCode);
        using var json = JsonDocument.Parse(HttpContexts.ResponseBody(context));
        Assert.Contains("Credential should be scoped to correct service: 'bedrock'", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_credentials_need_their_token_and_expire_with_the_clock()
    {
        var clock = new ManualTimeProvider();
        var org = new TestOrg(time: clock);
        var emulator = new EmulatorContext(org.Options);
        var alice = emulator.Identities.Users.Single(u => u.Name == "alice").Principal;
        var session = emulator.Identities.IssueSession(alice, clock.GetUtcNow().AddMinutes(15));
        var withToken = new AwsCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        var withoutToken = new AwsCredentials(session.AccessKeyId, session.SecretAccessKey);

        var ok = await emulator.Authenticator.AuthenticateAsync(HttpContexts.Signed("POST", "/model/m/invoke", Body, withToken, "bedrock", clock.GetUtcNow()), "bedrock");
        var noToken = await emulator.Authenticator.AuthenticateAsync(HttpContexts.Signed("POST", "/model/m/invoke", Body, withoutToken, "bedrock", clock.GetUtcNow()), "bedrock");
        var signedAt = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(16));
        var expiredContext = HttpContexts.Signed("POST", "/model/m/invoke", Body, withToken, "bedrock", signedAt);
        var expired = await emulator.Authenticator.AuthenticateAsync(expiredContext, "bedrock");

        Assert.True(ok.Succeeded);
        Assert.Equal("UnrecognizedClientException", noToken.ErrorCode);
        Assert.Equal("ExpiredTokenException", expired.ErrorCode);
        Assert.Contains("The security token included in the request is expired", HttpContexts.ResponseBody(expiredContext), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_term_Bedrock_API_key_authenticates_its_user_and_a_wrong_key_does_not()
    {
        var org = new TestOrg();
        var emulator = new EmulatorContext(org.Options);
        var good = HttpContexts.Create("POST", "/model/m/invoke", [new("Authorization", "Bearer " + org.BobApiKey)], Body);
        var bad = HttpContexts.Create("POST", "/model/m/invoke", [new("Authorization", "Bearer ABSK" + org.BobApiKey[5..])], Body);

        var accepted = await emulator.Authenticator.AuthenticateAsync(good, "bedrock");
        var rejected = await emulator.Authenticator.AuthenticateAsync(bad, "bedrock");

        Assert.Equal("arn:aws:iam::111122223333:user/finance/bob", accepted.Principal!.Arn);
        Assert.Equal("BedrockApiKey", accepted.Method);
        Assert.Equal("UnrecognizedClientException", rejected.ErrorCode);
        Assert.DoesNotContain(org.BobApiKey, HttpContexts.ResponseBody(bad), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Short_term_key_from_AWS_token_generator_authenticates_the_signing_user()
    {
        var org = new TestOrg();
        var emulator = new EmulatorContext(org.Options);
        var mint = await ExternalTools.RunNodeAsync("tokens/mint-token.mjs", [org.AliceKeyId, org.AliceSecret, "-", "us-east-1", "3600", DateTimeOffset.UtcNow.ToString("O")]);
        Assert.True(mint.ExitCode == 0, mint.Stderr);
        var context = HttpContexts.Create("POST", "/model/m/invoke", [new("Authorization", "Bearer " + mint.Stdout.Trim())], Body);

        var result = await emulator.Authenticator.AuthenticateAsync(context, "bedrock");

        Assert.True(result.Succeeded, HttpContexts.ResponseBody(context));
        Assert.Equal("arn:aws:iam::111122223333:user/engineering/alice", result.Principal!.Arn);
        Assert.Equal("BedrockApiKeyShortTerm", result.Method);
    }

    [Fact]
    public async Task Short_term_key_from_session_credentials_expires_and_rejects_a_forged_signature()
    {
        var clock = new ManualTimeProvider();
        var org = new TestOrg(time: clock);
        var emulator = new EmulatorContext(org.Options);
        var role = emulator.Identities.Roles.Single(r => r.Name == "Developer");
        var session = emulator.Identities.IssueSession(emulator.Identities.RoleSession(role, "laptop"), clock.GetUtcNow().AddHours(1));
        var credentials = new AwsCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        var key = BedrockApiKey.Mint(credentials, "us-east-1", TimeSpan.FromMinutes(30), clock.GetUtcNow());
        var forged = BedrockApiKey.Mint(credentials with { SecretAccessKey = org.AliceSecret }, "us-east-1", TimeSpan.FromMinutes(30), clock.GetUtcNow());
        var otherRegion = BedrockApiKey.Mint(credentials, "eu-west-1", TimeSpan.FromMinutes(30), clock.GetUtcNow());

        async Task<AuthenticationResult> Call(string token)
            => await emulator.Authenticator.AuthenticateAsync(HttpContexts.Create("POST", "/model/m/invoke", [new("Authorization", "Bearer " + token)], Body), "bedrock");

        var ok = await Call(key);
        var bad = await Call(forged);
        var wrongRegion = await Call(otherRegion);
        clock.Advance(TimeSpan.FromMinutes(31));
        var late = await Call(key);

        Assert.Equal("arn:aws:sts::111122223333:assumed-role/Developer/laptop", ok.Principal?.Arn);
        Assert.Equal("InvalidSignatureException", bad.ErrorCode);
        Assert.Equal("InvalidSignatureException", wrongRegion.ErrorCode);
        Assert.Equal("ExpiredTokenException", late.ErrorCode);
    }

    [Fact]
    public async Task Missing_authentication_is_MissingAuthenticationTokenException_and_bearer_is_refused_outside_bedrock()
    {
        var org = new TestOrg();
        var emulator = new EmulatorContext(org.Options);
        var none = HttpContexts.Create("POST", "/model/m/invoke", [], Body);
        var bearerForSts = HttpContexts.Create("POST", "/", [new("Authorization", "Bearer " + org.BobApiKey)], []);

        var missing = await emulator.Authenticator.AuthenticateAsync(none, "bedrock");
        var sts = await emulator.Authenticator.AuthenticateAsync(bearerForSts, "sts");

        Assert.Equal("MissingAuthenticationTokenException", missing.ErrorCode);
        Assert.Equal("MissingAuthenticationToken", sts.ErrorCode);
        Assert.Contains("<Code>MissingAuthenticationToken</Code>", HttpContexts.ResponseBody(bearerForSts), StringComparison.Ordinal);
    }

    [Fact]
    public void Issued_session_credentials_are_fresh_random_material()
    {
        var org = new TestOrg();
        var store = new IdentityStore(org.Options);
        var alice = store.Users.Single(u => u.Name == "alice").Principal;

        var a = store.IssueSession(alice, DateTimeOffset.UtcNow.AddHours(1));
        var b = store.IssueSession(alice, DateTimeOffset.UtcNow.AddHours(1));

        Assert.Matches("^ASIA[A-Z2-7]{16}$", a.AccessKeyId);
        Assert.Equal(40, a.SecretAccessKey.Length);
        Assert.NotEqual(a.AccessKeyId, b.AccessKeyId);
        Assert.NotEqual(a.SecretAccessKey, b.SecretAccessKey);
        Assert.NotEqual(a.SessionToken, b.SessionToken);
        Assert.DoesNotContain(a.SecretAccessKey, a.ToString(), StringComparison.Ordinal);
    }
}
