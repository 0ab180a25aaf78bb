using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Basalt.Credentials;
using Basalt.Credentials.Oidc;
using Basalt.Emulator;
using Basalt.Emulator.Options;
using Basalt.Testing;
using Basalt.Tests.Credentials.Oidc.Support;

namespace Basalt.Tests.Credentials.Oidc;

/// <summary>
/// The whole federation: oidc-provider as the enterprise IdP, the browser stand-in, Basalt's OIDC source, and the
/// Basalt emulator as STS, which fetches the IdP's JWKS and checks the role's trust (issuer, audience) itself.
/// </summary>
public sealed class OidcStsEndToEndTests
{
    private const string Account = "111122223333";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private static async Task<EmulatorServer> StartStsAsync(string issuer, string audience = TestIdp.RsaClientId)
    {
        var options = new EmulatorOptions();
        options.Accounts.Add(new AccountOptions { Id = Account, Name = "Bedrock" });
        options.Roles.Add(new RoleOptions
        {
            Name = "BedrockUsers",
            Account = Account,
            MaxSessionDuration = TimeSpan.FromHours(4),
            WebIdentity = [new WebIdentityTrust { Issuer = issuer, Audiences = [audience] }],
        });

        // Same account, a role that trusts another IdP only: the account knows our issuer, this role does not.
        options.Roles.Add(new RoleOptions
        {
            Name = "OtherTeam",
            Account = Account,
            WebIdentity = [new WebIdentityTrust { Issuer = "https://other-idp.example.com", Audiences = ["x"] }],
        });
        return await EmulatorServer.StartAsync(options);
    }

    private static OidcSourceSettings Settings(TestIdp idp, EmulatorServer sts, string role = "BedrockUsers", int duration = 7200)
        => OidcSignInTests.Settings(idp.Issuer, sts: sts.BaseAddress) with
        {
            RoleArn = $"arn:aws:iam::{Account}:role/{role}",
            SessionDurationSeconds = duration,
        };

    [Fact]
    public async Task Sign_in_then_assume_role_with_web_identity_yields_role_credentials_named_after_the_user()
    {
        await using var idp = await TestIdp.StartAsync();
        await using var sts = await StartStsAsync(idp.Issuer);
        var store = new MemorySessionStore();
        var log = new RecordingLog();
        using var source = new OidcCredentialSource(Settings(idp, sts), store, OidcSignInTests.Runtime());

        var credentials = await source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, log), CancellationToken.None).AsTask().WaitAsync(Generous);

        Assert.True(credentials.IsTemporary);
        Assert.InRange(credentials.Expiration!.Value, DateTimeOffset.UtcNow.AddMinutes(115), DateTimeOffset.UtcNow.AddMinutes(125));

        // The credentials work, and CloudTrail would show the user's email as the session name.
        using var signed = new AmazonSecurityTokenServiceClient(
            new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            new AmazonSecurityTokenServiceConfig { ServiceURL = sts.BaseAddress.AbsoluteUri, AuthenticationRegion = "us-east-1" });
        var identity = await signed.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/BedrockUsers/Alice.O-Neil+dev@example.com", identity.Arn);

        var secrets = idp.RecordedSecrets().Append(credentials.SecretAccessKey).Append(credentials.SessionToken!).ToList();
        log.AssertContainsNone(secrets);
        Assert.DoesNotContain(credentials.SecretAccessKey, credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_run_uses_the_stored_sign_in_and_never_prompts()
    {
        await using var idp = await TestIdp.StartAsync();
        await using var sts = await StartStsAsync(idp.Issuer);
        var store = new MemorySessionStore();
        using var source = new OidcCredentialSource(Settings(idp, sts), store, OidcSignInTests.Runtime());
        await source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, new RecordingLog()), CancellationToken.None).AsTask().WaitAsync(Generous);

        // A later run in another process: no browser, mid-session refresh, with only the stored session state.
        using var later = new OidcCredentialSource(Settings(idp, sts), store, OidcSignInTests.Runtime(new Dictionary<string, string?>()));
        var log = new RecordingLog();
        var credentials = await later.GetCredentialsAsync(new CredentialRequest(CredentialContext.MidSessionRefresh, log), CancellationToken.None);

        Assert.True(credentials.IsTemporary);
        Assert.Equal(2, sts.RequestLog.Snapshot().Count(e => e.Operation == "AssumeRoleWithWebIdentity" && e.Succeeded));
        log.AssertContainsNone(idp.RecordedSecrets());
    }

    [Fact]
    public async Task Role_that_does_not_trust_the_issuer_is_access_denied_with_the_trust_policy_named()
    {
        await using var idp = await TestIdp.StartAsync();
        await using var sts = await StartStsAsync(idp.Issuer);
        var store = new MemorySessionStore();
        using var source = new OidcCredentialSource(Settings(idp, sts, role: "OtherTeam", duration: 3600), store, OidcSignInTests.Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, new RecordingLog()), CancellationToken.None).AsTask().WaitAsync(Generous));

        Assert.Contains($"STS denied AssumeRoleWithWebIdentity on arn:aws:iam::{Account}:role/OtherTeam", e.Message, StringComparison.Ordinal);
        Assert.Contains("trust policy", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(idp.RecordedSecrets(), s => e.Message.Contains(s, StringComparison.Ordinal));

        // The sign-in itself worked and is kept: fixing the role needs no new sign-in.
        Assert.NotNull(store.Current!.RefreshToken);
    }

    [Fact]
    public async Task Role_trusting_another_audience_rejects_the_token()
    {
        await using var idp = await TestIdp.StartAsync();
        await using var sts = await StartStsAsync(idp.Issuer, audience: "some-other-client");
        using var source = new OidcCredentialSource(Settings(idp, sts), new MemorySessionStore(), OidcSignInTests.Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, new RecordingLog()), CancellationToken.None).AsTask().WaitAsync(Generous));

        Assert.Contains("STS rejected the ID token", e.Message, StringComparison.Ordinal);
        Assert.Contains("audience", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_longer_than_the_role_allows_is_reported_by_sts()
    {
        await using var idp = await TestIdp.StartAsync();
        await using var sts = await StartStsAsync(idp.Issuer);
        using var source = new OidcCredentialSource(Settings(idp, sts, duration: 43200), new MemorySessionStore(), OidcSignInTests.Runtime());

        var e = await Assert.ThrowsAsync<CredentialException>(() => source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, new RecordingLog()), CancellationToken.None).AsTask().WaitAsync(Generous));

        Assert.Contains("MaxSessionDuration", e.Message, StringComparison.Ordinal);
    }
}
