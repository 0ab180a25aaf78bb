using System.Globalization;
using System.Text.RegularExpressions;
using Basalt.Aws;
using Basalt.Diagnostics;
using Basalt.Emulator.Bedrock;
using Basalt.Emulator.Faults;
using Basalt.Diagnostics.Reading;
using Basalt.Emulator.Options;

namespace Basalt.Emulator.Configuration;

/// <summary>
/// Reads the emulator's identities file (see <c>examples/emulator/identities.yaml</c>) into
/// <see cref="EmulatorOptions"/> through the one bounded reader of outside input (<see cref="YamlInputReader"/>
/// within <see cref="InputLimits"/>, then <see cref="FieldReader"/>): every problem, an alias bomb or a 20,000-level
/// nesting included, becomes a diagnostic with file:line; nothing throws for bad input.
/// </summary>
internal static partial class EmulatorOptionsLoader
{
    private static readonly string[] TopLevelKeys = ["region", "host", "port", "http2Port", "accounts", "users", "permissionSets", "roles", "identityCenter", "bedrock", "faults"];

    /// <summary>Codes of the identities file's typed reads (EMU10xx); unknown keys are warnings, as they are ignored harmlessly.</summary>
    internal static readonly InputCodes Codes = new(
        Syntax: EmulatorDiagnosticCodes.YamlSyntax,
        DuplicateKey: EmulatorDiagnosticCodes.Duplicate,
        Empty: EmulatorDiagnosticCodes.YamlSyntax,
        UnknownKey: EmulatorDiagnosticCodes.UnknownKey,
        MissingKey: EmulatorDiagnosticCodes.MissingKey,
        WrongType: EmulatorDiagnosticCodes.WrongType,
        InvalidValue: EmulatorDiagnosticCodes.InvalidValue)
    {
        UnknownKeySeverity = DiagnosticSeverity.Warning,
    };

    /// <summary>
    /// The reader of a section with codes of its own (<c>bedrock:</c> EMU20xx, <c>faults:</c> EMU30xx): unknown keys
    /// carry <paramref name="unknownKeyCode"/>, each field's problems the code the section passes for it.
    /// <paramref name="file"/> is where the section was read from (the nodes carry their own locations).
    /// </summary>
    internal static FieldReader SectionReader(string file, string unknownKeyCode, List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new FieldReader(Codes with { UnknownKey = unknownKeyCode }, diagnostics);
    }

    public static EmulatorOptions Load(string path)
    {
        // A regular file within the input limit: --config /dev/zero or a 5 GB file is a diagnostic, not a hang.
        var bytes = InputText.ReadFile(path, InputLimits.Default.MaxInputBytes, out var problem);
        if (bytes is null)
        {
            var options = new EmulatorOptions { SourceFile = path };
            options.Diagnostics.Add(problem == InputText.FileProblem.TooLarge
                ? InputText.TooLarge(path, new FileInfo(path).Length, InputLimits.Default)
                : new Diagnostic(DiagnosticSeverity.Error, EmulatorDiagnosticCodes.FileUnreadable,
                    $"cannot read the emulator configuration: {Describe(problem)}", Location: new SourceLocation(path),
                    Fix: "check the path given to --config."));
            return options;
        }

        var diagnostics = new List<Diagnostic>();
        return InputText.Decode(bytes, path, InputLimits.Default, diagnostics) is { } text ? Parse(text, path) : WithDiagnostics(path, diagnostics);
    }

    public static EmulatorOptions Parse(string yaml, string file)
    {
        var diagnostics = new List<Diagnostic>();
        // A file without a document (empty, or comments only) means "all defaults", as it always has.
        if (IsBlank(yaml))
        {
            return WithDiagnostics(file, diagnostics);
        }

        var root = YamlInputReader.Read(yaml, file, Codes, InputLimits.Default, diagnostics);
        var options = new EmulatorOptions { SourceFile = file };
        if (root is not null)
        {
            var reader = new FieldReader(Codes, diagnostics);
            if (root.Kind != InputNodeKind.Mapping)
            {
                reader.Error(EmulatorDiagnosticCodes.WrongType, root, string.Empty, "the file must be a mapping with keys such as accounts, users and roles.", null);
            }
            else
            {
                reader.CheckKeys(root, string.Empty, TopLevelKeys);
                ReadHost(reader, root, options);
                var accounts = ReadAccounts(reader, root, options);
                var users = ReadUsers(reader, root, options, accounts);
                ReadPermissionSets(reader, root, options, accounts, users);
                ReadRoles(reader, file, root, options, accounts);
                ReadIdentityCenter(reader, root, options);
                ReadSections(reader, file, root, options);
            }
        }

        foreach (var d in diagnostics)
        {
            options.Diagnostics.Add(d);
        }

        return options;
    }

    private static EmulatorOptions WithDiagnostics(string file, List<Diagnostic> diagnostics)
    {
        var options = new EmulatorOptions { SourceFile = file };
        foreach (var d in diagnostics)
        {
            options.Diagnostics.Add(d);
        }

        return options;
    }

    private static bool IsBlank(string yaml)
        => yaml.Split('\n').All(line => line.TrimStart() is var t && (t.Length == 0 || t[0] == '#' || t.TrimEnd() is "---" or "..."));

    private static string Describe(InputText.FileProblem problem) => problem switch
    {
        InputText.FileProblem.NotFound => "the file does not exist",
        InputText.FileProblem.NotRegularFile => "it is not a regular file",
        _ => "the file cannot be read (permissions?)",
    };

    /// <summary>The value of a string field (an empty value counts as absent).</summary>
    private static string? Text(FieldReader reader, InputNode map, string key, string path, bool required = false)
        => reader.String(map, key, path, required) is { Value.Length: > 0 } value ? value.Value : null;

    /// <summary>A list of strings; a single value is a one-item list, an absent one an empty list.</summary>
    private static List<string> Texts(FieldReader reader, InputNode map, string key, string path)
        => (reader.StringList(map, key, path) ?? []).Select(v => v.Value).ToList();

    private static void ReadHost(FieldReader reader, InputNode root, EmulatorOptions options)
    {
        if (Text(reader, root, "region", string.Empty) is { } region)
        {
            if (AwsPartition.IsValidRegion(region))
            {
                options.Region = region;
            }
            else
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, root.Get("region")!, "region", $"'{region}' is not an AWS region name.", "use a region such as us-east-1 or us-gov-west-1.");
            }
        }

        if (Text(reader, root, "host", string.Empty) is { } host)
        {
            options.Host = host;
        }

        options.Port = ReadPort(reader, root, "port") ?? options.Port;
        options.Http2Port = ReadPort(reader, root, "http2Port") ?? options.Http2Port;
        if (options.Port != 0 && options.Port == options.Http2Port)
        {
            reader.Error(EmulatorDiagnosticCodes.InvalidValue, root.Get("http2Port")!, "http2Port", $"port {options.Port} is already the HTTP/1.1 port; the cleartext HTTP/2 listener needs its own.", "pick another port, or omit http2Port (a free port is chosen).");
        }
    }

    private static int? ReadPort(FieldReader reader, InputNode root, string key)
    {
        if (Text(reader, root, key, string.Empty) is not { } portText)
        {
            return null;
        }

        if (int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            return port;
        }

        reader.Error(EmulatorDiagnosticCodes.InvalidValue, root.Get(key)!, key, "expected a port number from 0 to 65535 (0 picks a free port).", null);
        return null;
    }

    private static HashSet<string> ReadAccounts(FieldReader reader, InputNode root, EmulatorOptions options)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, path) in reader.MappingItems(root, "accounts", string.Empty))
        {
            reader.CheckKeys(item, path, ["id", "name", "email"]);
            var id = Text(reader, item, "id", path, required: true);
            if (id is null)
            {
                continue;
            }

            if (!AccountIdPattern().IsMatch(id))
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, item.Get("id")!, $"{path}.id", $"'{id}' is not a 12-digit AWS account id.", "quote it so YAML keeps leading zeros: id: \"111122223333\".");
                continue;
            }

            if (!ids.Add(id))
            {
                reader.Error(EmulatorDiagnosticCodes.Duplicate, item, $"{path}.id", $"account {id} is listed twice.", null);
                continue;
            }

            options.Accounts.Add(new AccountOptions { Id = id, Name = Text(reader, item, "name", path), Email = Text(reader, item, "email", path) });
        }

        return ids;
    }

    private static HashSet<string> ReadUsers(FieldReader reader, InputNode root, EmulatorOptions options, HashSet<string> accounts)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var keyIds = new HashSet<string>(StringComparer.Ordinal);
        var apiKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, path) in reader.MappingItems(root, "users", string.Empty))
        {
            reader.CheckKeys(item, path, ["name", "account", "path", "groups", "accessKeys", "bedrockApiKeys"]);
            var name = Text(reader, item, "name", path, required: true);
            var account = Text(reader, item, "account", path, required: true);
            if (name is not null && !IamNamePattern().IsMatch(name))
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, item.Get("name")!, $"{path}.name", $"'{name}' is not a valid IAM user name.", "use 1-64 letters, digits or +=,.@_- characters.");
                name = null;
            }

            if (name is not null && !names.Add(name))
            {
                reader.Error(EmulatorDiagnosticCodes.Duplicate, item, $"{path}.name", $"user '{name}' is defined twice.", null);
                name = null;
            }

            if (account is not null && !accounts.Contains(account))
            {
                reader.Error(EmulatorDiagnosticCodes.UnknownReference, item.Get("account")!, $"{path}.account", $"account '{account}' is not in 'accounts'.", "add it under accounts: or fix the id.");
                account = null;
            }

            var iamPath = Text(reader, item, "path", path) ?? "/";
            if (!iamPath.StartsWith('/') || !iamPath.EndsWith('/'))
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, item.Get("path")!, $"{path}.path", $"IAM path '{iamPath}' must start and end with '/'.", null);
                iamPath = "/";
            }

            var keys = new List<AccessKeyOptions>();
            foreach (var (keyItem, keyPath) in reader.MappingItems(item, "accessKeys", path))
            {
                reader.CheckKeys(keyItem, keyPath, ["accessKeyId", "secretAccessKey"]);
                var id = Text(reader, keyItem, "accessKeyId", keyPath, required: true);
                var secret = Text(reader, keyItem, "secretAccessKey", keyPath, required: true);
                if (id is null || secret is null)
                {
                    continue;
                }

                if (!LongTermKeyIdPattern().IsMatch(id))
                {
                    reader.Error(EmulatorDiagnosticCodes.InvalidAccessKey, keyItem.Get("accessKeyId")!, $"{keyPath}.accessKeyId", "a long-term access key id is 'AKIA' followed by 16 upper-case letters or digits.", "for example AKIAIOSFODNN7EXAMPLE.");
                    continue;
                }

                if (secret.Length < 16)
                {
                    // Never echo the secret itself (code standards: secrets stay out of diagnostics).
                    reader.Error(EmulatorDiagnosticCodes.InvalidAccessKey, keyItem.Get("secretAccessKey")!, $"{keyPath}.secretAccessKey", "the secret access key is too short (AWS secrets are 40 characters).", null);
                    continue;
                }

                if (!keyIds.Add(id))
                {
                    reader.Error(EmulatorDiagnosticCodes.Duplicate, keyItem, $"{keyPath}.accessKeyId", $"access key {id} is used twice.", null);
                    continue;
                }

                keys.Add(new AccessKeyOptions { AccessKeyId = id, SecretAccessKey = secret });
            }

            var bedrockKeys = Texts(reader, item, "bedrockApiKeys", path);
            foreach (var key in bedrockKeys)
            {
                if (!apiKeys.Add(key))
                {
                    reader.Error(EmulatorDiagnosticCodes.Duplicate, item.Get("bedrockApiKeys")!, $"{path}.bedrockApiKeys", "the same Bedrock API key is listed twice.", null);
                }
                else if (key.StartsWith("bedrock-api-key-", StringComparison.Ordinal))
                {
                    reader.Error(EmulatorDiagnosticCodes.InvalidValue, item.Get("bedrockApiKeys")!, $"{path}.bedrockApiKeys", "short-term Bedrock API keys (bedrock-api-key-...) are minted from credentials, not configured.", "list only long-term keys here.");
                }
            }

            if (name is not null && account is not null)
            {
                options.Users.Add(new UserOptions
                {
                    Name = name,
                    Account = account,
                    Path = iamPath,
                    Groups = Texts(reader, item, "groups", path),
                    AccessKeys = keys,
                    BedrockApiKeys = bedrockKeys,
                });
            }
        }

        return names;
    }

    private static void ReadPermissionSets(FieldReader reader, InputNode root, EmulatorOptions options, HashSet<string> accounts, HashSet<string> users)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, path) in reader.MappingItems(root, "permissionSets", string.Empty))
        {
            reader.CheckKeys(item, path, ["name", "sessionDuration", "assignments"]);
            var name = Text(reader, item, "name", path, required: true);
            if (name is null)
            {
                continue;
            }

            if (!PermissionSetNamePattern().IsMatch(name) || !names.Add(name))
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, item.Get("name")!, $"{path}.name", $"permission set name '{name}' is invalid or used twice.", "use 1-32 letters, digits or +=,.@- characters, unique in the file.");
                continue;
            }

            var assignments = new List<PermissionSetAssignment>();
            foreach (var (a, aPath) in reader.MappingItems(item, "assignments", path))
            {
                reader.CheckKeys(a, aPath, ["account", "users"]);
                var account = Text(reader, a, "account", aPath, required: true);
                if (account is not null && !accounts.Contains(account))
                {
                    reader.Error(EmulatorDiagnosticCodes.UnknownReference, a.Get("account")!, $"{aPath}.account", $"account '{account}' is not in 'accounts'.", null);
                    continue;
                }

                var assigned = Texts(reader, a, "users", aPath);
                foreach (var u in assigned.Where(u => !users.Contains(u)))
                {
                    reader.Error(EmulatorDiagnosticCodes.UnknownReference, a.Get("users")!, $"{aPath}.users", $"user '{u}' is not in 'users'.", null);
                }

                if (account is not null)
                {
                    assignments.Add(new PermissionSetAssignment { Account = account, Users = [.. assigned.Where(users.Contains)] });
                }
            }

            options.PermissionSets.Add(new PermissionSetOptions
            {
                Name = name,
                // IAM Identity Center allows 1 to 12 hours for a permission set's session.
                SessionDuration = reader.Duration(item, "sessionDuration", path, TimeSpan.FromHours(1), TimeSpan.FromHours(12)) ?? TimeSpan.FromHours(1),
                Assignments = assignments,
            });
        }
    }

    private static void ReadRoles(FieldReader reader, string file, InputNode root, EmulatorOptions options, HashSet<string> accounts)
    {
        var arns = new HashSet<string>(StringComparer.Ordinal);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? Environment.CurrentDirectory;
        foreach (var (item, path) in reader.MappingItems(root, "roles", string.Empty))
        {
            reader.CheckKeys(item, path, ["name", "account", "path", "maxSessionDuration", "trust"]);
            var name = Text(reader, item, "name", path, required: true);
            var account = Text(reader, item, "account", path, required: true);
            if (name is null || account is null)
            {
                continue;
            }

            if (!IamNamePattern().IsMatch(name))
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, item.Get("name")!, $"{path}.name", $"'{name}' is not a valid IAM role name.", null);
                continue;
            }

            if (!accounts.Contains(account))
            {
                reader.Error(EmulatorDiagnosticCodes.UnknownReference, item.Get("account")!, $"{path}.account", $"account '{account}' is not in 'accounts'.", null);
                continue;
            }

            if (!arns.Add($"{account}/{name}"))
            {
                reader.Error(EmulatorDiagnosticCodes.Duplicate, item, $"{path}.name", $"role '{name}' is defined twice in account {account}.", null);
                continue;
            }

            var trustedPrincipals = new List<string>();
            var webIdentity = new List<WebIdentityTrust>();
            string? externalId = null;
            if (reader.Mapping(item, "trust", path) is { } trust)
            {
                var trustPath = $"{path}.trust";
                reader.CheckKeys(trust, trustPath, ["principals", "externalId", "webIdentity"]);
                externalId = Text(reader, trust, "externalId", trustPath);
                foreach (var principal in Texts(reader, trust, "principals", trustPath))
                {
                    if (principal == "*" || TrustedPrincipalPattern().IsMatch(principal))
                    {
                        trustedPrincipals.Add(principal);
                    }
                    else
                    {
                        reader.Error(EmulatorDiagnosticCodes.InvalidValue, trust.Get("principals")!, $"{trustPath}.principals", $"'{principal}' is not a principal ARN.", "use arn:aws:iam::111122223333:user/alice, arn:aws:iam::111122223333:role/Name, arn:aws:iam::111122223333:root or *.");
                    }
                }

                foreach (var (w, wPath) in reader.MappingItems(trust, "webIdentity", trustPath))
                {
                    reader.CheckKeys(w, wPath, ["issuer", "audiences", "subjects", "jwksFile"]);
                    var issuer = Text(reader, w, "issuer", wPath, required: true);
                    var audiences = Texts(reader, w, "audiences", wPath);
                    if (issuer is null)
                    {
                        continue;
                    }

                    if (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri) || (issuerUri.Scheme != Uri.UriSchemeHttp && issuerUri.Scheme != Uri.UriSchemeHttps))
                    {
                        reader.Error(EmulatorDiagnosticCodes.InvalidValue, w.Get("issuer")!, $"{wPath}.issuer", $"'{issuer}' is not an http(s) issuer URL.", "use the exact 'iss' value of the tokens, e.g. http://127.0.0.1:8400.");
                        continue;
                    }

                    if (audiences.Count == 0)
                    {
                        reader.Error(EmulatorDiagnosticCodes.MissingKey, w, $"{wPath}.audiences", "an OIDC trust needs at least one audience (client id), as an IAM OIDC provider does.", null);
                        continue;
                    }

                    string? jwksFile = null;
                    if (Text(reader, w, "jwksFile", wPath) is { } jf)
                    {
                        jwksFile = Path.GetFullPath(Path.Combine(baseDirectory, jf));
                        if (!File.Exists(jwksFile))
                        {
                            reader.Error(EmulatorDiagnosticCodes.InvalidValue, w.Get("jwksFile")!, $"{wPath}.jwksFile", $"JWKS file '{jf}' does not exist.", "paths are relative to this YAML file.");
                            continue;
                        }
                    }

                    webIdentity.Add(new WebIdentityTrust { Issuer = issuer, Audiences = audiences, Subjects = Texts(reader, w, "subjects", wPath), JwksFile = jwksFile });
                }
            }

            options.Roles.Add(new RoleOptions
            {
                Name = name,
                Account = account,
                Path = Text(reader, item, "path", path) ?? "/",
                // IAM: MaxSessionDuration is 3600 to 43200 seconds.
                MaxSessionDuration = reader.Duration(item, "maxSessionDuration", path, TimeSpan.FromHours(1), TimeSpan.FromHours(12)) ?? TimeSpan.FromHours(1),
                TrustedPrincipals = trustedPrincipals,
                ExternalId = externalId,
                WebIdentity = webIdentity,
            });
        }
    }

    private static void ReadIdentityCenter(FieldReader reader, InputNode root, EmulatorOptions options)
    {
        if (reader.Mapping(root, "identityCenter", string.Empty) is not { } ic)
        {
            return;
        }

        const string P = "identityCenter";
        reader.CheckKeys(ic, P, ["startUrl", "deviceCodeLifetime", "pollInterval", "accessTokenLifetime", "refreshTokenLifetime", "clientRegistrationLifetime"]);
        var defaults = new IdentityCenterOptions();
        options.IdentityCenter = new IdentityCenterOptions
        {
            StartUrl = Text(reader, ic, "startUrl", P) ?? defaults.StartUrl,
            DeviceCodeLifetime = reader.Duration(ic, "deviceCodeLifetime", P, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1)) ?? defaults.DeviceCodeLifetime,
            PollInterval = reader.Duration(ic, "pollInterval", P, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)) ?? defaults.PollInterval,
            AccessTokenLifetime = reader.Duration(ic, "accessTokenLifetime", P, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7)) ?? defaults.AccessTokenLifetime,
            RefreshTokenLifetime = reader.Duration(ic, "refreshTokenLifetime", P, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365)) ?? defaults.RefreshTokenLifetime,
            ClientRegistrationLifetime = reader.Duration(ic, "clientRegistrationLifetime", P, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365)) ?? defaults.ClientRegistrationLifetime,
        };
    }

    /// <summary>The <c>bedrock:</c> and <c>faults:</c> sections belong to the Bedrock side of the emulator, which parses them itself.</summary>
    private static void ReadSections(FieldReader reader, string file, InputNode root, EmulatorOptions options)
    {
        if (reader.Mapping(root, "bedrock", string.Empty) is { } bedrock)
        {
            options.Bedrock = BedrockEmulatorOptions.Parse(bedrock, file, reader.Diagnostics) with { Region = options.Region };
        }
        else
        {
            options.Bedrock = options.Bedrock with { Region = options.Region };
        }

        if (reader.Mapping(root, "faults", string.Empty) is { } faults)
        {
            options.Faults = FaultOptions.Parse(faults, file, reader.Diagnostics);
        }
    }
}
