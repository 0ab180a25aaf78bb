using System.Collections.Concurrent;
using Basalt.Aws;
using Basalt.Emulator.Options;

namespace Basalt.Emulator.Identity;

/// <summary>
/// The emulator's IAM: accounts, users, roles and every key it accepts, configured or issued. Issued session
/// credentials are kept after they expire so a late caller gets <c>ExpiredToken</c> rather than "unknown key".
/// </summary>
internal sealed class IdentityStore
{
    private readonly Dictionary<string, AccountOptions> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserRecord> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoleRecord> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatorPrincipal> _bedrockApiKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SigningCredential> _credentials = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string PermissionSet, string Account), RoleRecord> _permissionSetRoles = new();
    private readonly List<PermissionSetOptions> _permissionSets;

    public IdentityStore(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Region = options.Region;
        Partition = AwsPartition.ForRegion(options.Region) ?? AwsPartition.Aws;
        foreach (var account in options.Accounts)
        {
            _accounts.Add(account.Id, account);
        }

        foreach (var user in options.Users)
        {
            RequireAccount(user.Account, $"user {user.Name}");
            var arn = $"arn:{Partition.Id}:iam::{user.Account}:user{user.Path}{user.Name}";
            var principal = new EmulatorPrincipal(PrincipalKind.IamUser, arn, user.Account, CredentialMaterial.Id("AIDA", 21), user.Name);
            _users.Add(user.Name, new UserRecord(user, principal));
            foreach (var key in user.AccessKeys)
            {
                if (!_credentials.TryAdd(key.AccessKeyId, new SigningCredential(key.AccessKeyId, key.SecretAccessKey, null, null, principal)))
                {
                    throw new ArgumentException($"access key {key.AccessKeyId} is configured twice", nameof(options));
                }
            }

            foreach (var apiKey in user.BedrockApiKeys)
            {
                _bedrockApiKeys.Add(apiKey, principal);
            }
        }

        foreach (var role in options.Roles)
        {
            RequireAccount(role.Account, $"role {role.Name}");
            var record = new RoleRecord(role, $"arn:{Partition.Id}:iam::{role.Account}:role{role.Path}{role.Name}", CredentialMaterial.Id("AROA", 21));
            _roles.Add(record.Arn, record);
        }

        _permissionSets = [.. options.PermissionSets];
        foreach (var ps in _permissionSets)
        {
            foreach (var assignment in ps.Assignments)
            {
                RequireAccount(assignment.Account, $"permission set {ps.Name}");
            }
        }
    }

    public string Region { get; }

    public AwsPartition Partition { get; }

    public IReadOnlyCollection<AccountOptions> Accounts => _accounts.Values;

    public IReadOnlyCollection<UserRecord> Users => _users.Values;

    public IReadOnlyCollection<RoleRecord> Roles => _roles.Values;

    public bool TryGetAccount(string id, out AccountOptions account) => _accounts.TryGetValue(id, out account!);

    public bool TryGetUser(string name, out UserRecord user) => _users.TryGetValue(name, out user!);

    public bool TryGetRole(string roleArn, out RoleRecord role) => _roles.TryGetValue(roleArn, out role!);

    public bool TryGetCredential(string accessKeyId, out SigningCredential credential) => _credentials.TryGetValue(accessKeyId, out credential!);

    public bool TryGetBedrockApiKey(string key, out EmulatorPrincipal principal) => _bedrockApiKeys.TryGetValue(key, out principal!);

    /// <summary>Mints session credentials (<c>ASIA...</c>, fresh secret and token) for <paramref name="principal"/>.</summary>
    public SigningCredential IssueSession(EmulatorPrincipal principal, DateTimeOffset expiration)
    {
        while (true)
        {
            var credential = new SigningCredential(CredentialMaterial.Id("ASIA"), CredentialMaterial.SecretAccessKey(), CredentialMaterial.SessionToken(), expiration, principal);
            if (_credentials.TryAdd(credential.AccessKeyId, credential))
            {
                return credential;
            }
        }
    }

    /// <summary>The principal of a session of <paramref name="role"/> named <paramref name="sessionName"/>.</summary>
    public EmulatorPrincipal RoleSession(RoleRecord role, string sessionName, IReadOnlyDictionary<string, string>? tags = null, IReadOnlyList<string>? transitiveTagKeys = null)
        => new(PrincipalKind.AssumedRole, $"arn:{Partition.Id}:sts::{role.Account}:assumed-role/{role.Name}/{sessionName}", role.Account, $"{role.RoleId}:{sessionName}", sessionName)
        {
            RoleArn = role.Arn,
            SessionTags = tags ?? new Dictionary<string, string>(),
            TransitiveTagKeys = transitiveTagKeys ?? [],
        };

    /// <summary>The (permission set, account) pairs assigned to an Identity Center user, in file order.</summary>
    public IReadOnlyList<(PermissionSetOptions PermissionSet, string Account)> AssignmentsFor(string userName)
        => [.. _permissionSets.SelectMany(ps => ps.Assignments
                .Where(a => a.Users.Contains(userName, StringComparer.Ordinal))
                .Select(a => (ps, a.Account)))
            .Distinct()];

    /// <summary>
    /// The IAM role IAM Identity Center provisions for a permission set in an account: <c>AWSReservedSSO_{name}_{hex}</c>
    /// under path <c>/aws-reserved/sso.amazonaws.com/</c>. Stable for the emulator's lifetime.
    /// </summary>
    public RoleRecord PermissionSetRole(PermissionSetOptions permissionSet, string account)
        => _permissionSetRoles.GetOrAdd((permissionSet.Name, account), key =>
        {
            var options = new RoleOptions
            {
                Name = $"AWSReservedSSO_{key.PermissionSet}_{CredentialMaterial.HexSuffix()}",
                Account = key.Account,
                Path = "/aws-reserved/sso.amazonaws.com/",
                MaxSessionDuration = permissionSet.SessionDuration,
            };
            return new RoleRecord(options, $"arn:{Partition.Id}:iam::{key.Account}:role{options.Path}{options.Name}", CredentialMaterial.Id("AROA", 21));
        });

    private void RequireAccount(string account, string what)
    {
        if (!_accounts.ContainsKey(account))
        {
            throw new ArgumentException($"{what} refers to account {account}, which is not configured", nameof(account));
        }
    }
}
