using System.Security.Cryptography;
using Basalt.Emulator.Options;

namespace Basalt.Emulator.Tests.TestSupport;

/// <summary>
/// The organization most tests run against, built in code with fresh random keys per test: account
/// 111122223333, alice (engineering, static key, BedrockInference) and bob (finance, Bedrock API key), roles
/// Developer (trusts alice, external id), Chained (trusts the Developer role) and Federated (OIDC).
/// </summary>
public sealed class TestOrg
{
    public const string Account = "111122223333";
    public const string OtherAccount = "444455556666";
    public const string ExternalId = "basalt-test-external-id";
    public const string Audience = "basalt-desktop";

    public TestOrg(string? oidcIssuer = null, TimeProvider? time = null)
    {
        AliceKeyId = "AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        AliceSecret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
        CarolKeyId = "AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
        CarolSecret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
        BobApiKey = "ABSK" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        Options = new EmulatorOptions { TimeProvider = time ?? TimeProvider.System };
        Options.Accounts.Add(new AccountOptions { Id = Account, Name = "Example Corp Engineering", Email = "aws-engineering@example.com" });
        Options.Accounts.Add(new AccountOptions { Id = OtherAccount, Name = "Example Corp Finance", Email = "aws-finance@example.com" });
        Options.Users.Add(new UserOptions
        {
            Name = "alice",
            Account = Account,
            Path = "/engineering/",
            Groups = ["engineering"],
            AccessKeys = [new AccessKeyOptions { AccessKeyId = AliceKeyId, SecretAccessKey = AliceSecret }],
        });
        Options.Users.Add(new UserOptions { Name = "bob", Account = Account, Path = "/finance/", Groups = ["finance"], BedrockApiKeys = [BobApiKey] });
        Options.Users.Add(new UserOptions
        {
            Name = "carol",
            Account = OtherAccount,
            AccessKeys = [new AccessKeyOptions { AccessKeyId = CarolKeyId, SecretAccessKey = CarolSecret }],
        });
        Options.PermissionSets.Add(new PermissionSetOptions
        {
            Name = "BedrockInference",
            SessionDuration = TimeSpan.FromHours(8),
            Assignments = [new PermissionSetAssignment { Account = Account, Users = ["alice", "bob"] }],
        });
        Options.PermissionSets.Add(new PermissionSetOptions
        {
            Name = "ReadOnly",
            Assignments = [new PermissionSetAssignment { Account = OtherAccount, Users = ["alice"] }],
        });
        Options.Roles.Add(new RoleOptions
        {
            Name = "Developer",
            Account = Account,
            MaxSessionDuration = TimeSpan.FromHours(4),
            TrustedPrincipals = [$"arn:aws:iam::{Account}:user/engineering/alice"],
            ExternalId = ExternalId,
        });
        Options.Roles.Add(new RoleOptions { Name = "Chained", Account = Account, TrustedPrincipals = [$"arn:aws:iam::{Account}:role/Developer"] });
        if (oidcIssuer is not null)
        {
            Options.Roles.Add(new RoleOptions
            {
                Name = "Federated",
                Account = Account,
                MaxSessionDuration = TimeSpan.FromHours(12),
                WebIdentity = [new WebIdentityTrust { Issuer = oidcIssuer, Audiences = [Audience] }],
            });
        }
    }

    public EmulatorOptions Options { get; }

    public string AliceKeyId { get; }

    public string AliceSecret { get; }

    public string CarolKeyId { get; }

    public string CarolSecret { get; }

    public string BobApiKey { get; }

    public static string RoleArn(string name) => $"arn:aws:iam::{Account}:role/{name}";

    public Dictionary<string, string> AliceCredentials => new() { ["accessKeyId"] = AliceKeyId, ["secretAccessKey"] = AliceSecret };
}
