using System.Globalization;
using System.Text.RegularExpressions;
using Basalt.Aws;
using Basalt.Diagnostics;
using Basalt.Emulator.Bedrock;
using Basalt.Emulator.Faults;
using Basalt.Emulator.Options;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Basalt.Emulator.Configuration;

/// <summary>
/// Reads the emulator's identities file (see <c>examples/emulator/identities.yaml</c>) into
/// <see cref="EmulatorOptions"/>. Every problem becomes a diagnostic with file:line; nothing throws for bad input.
/// </summary>
internal static partial class EmulatorOptionsLoader
{
    private static readonly string[] TopLevelKeys = ["region", "host", "port", "http2Port", "accounts", "users", "permissionSets", "roles", "identityCenter", "bedrock", "faults"];

    public static EmulatorOptions Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            var options = new EmulatorOptions { SourceFile = path };
            options.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, EmulatorDiagnosticCodes.FileUnreadable,
                $"cannot read the emulator configuration: {e.Message}", Location: new SourceLocation(path),
                Fix: "check the path given to --config."));
            return options;
        }

        return Parse(text, path);
    }

    public static EmulatorOptions Parse(string yaml, string file)
    {
        var options = new EmulatorOptions { SourceFile = file };
        var reader = new YamlReader(file, options.Diagnostics);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            options.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, EmulatorDiagnosticCodes.YamlSyntax,
                $"not valid YAML: {e.InnerException?.Message ?? e.Message}", Location: new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column),
                Fix: "check indentation and quoting around this line."));
            return options;
        }

        if (stream.Documents.Count == 0)
        {
            return options;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            reader.Error(EmulatorDiagnosticCodes.WrongType, string.Empty, stream.Documents[0].RootNode, "the file must be a mapping with keys such as accounts, users and roles.");
            return options;
        }

        reader.CheckKeys(root, string.Empty, TopLevelKeys);
        ReadHost(reader, root, options);
        var accounts = ReadAccounts(reader, root, options);
        var users = ReadUsers(reader, root, options, accounts);
        ReadPermissionSets(reader, root, options, accounts, users);
        ReadRoles(reader, root, options, accounts);
        ReadIdentityCenter(reader, root, options);
        ReadSections(reader, root, options);
        return options;
    }

    private static void ReadHost(YamlReader reader, YamlMappingNode root, EmulatorOptions options)
    {
        if (reader.String(root, "region", string.Empty) is { } region)
        {
            if (AwsPartition.IsValidRegion(region))
            {
                options.Region = region;
            }
            else
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, "region", YamlReader.Get(root, "region")!, $"'{region}' is not an AWS region name.", "use a region such as us-east-1 or us-gov-west-1.");
            }
        }

        if (reader.String(root, "host", string.Empty) is { } host)
        {
            options.Host = host;
        }

        options.Port = ReadPort(reader, root, "port") ?? options.Port;
        options.Http2Port = ReadPort(reader, root, "http2Port") ?? options.Http2Port;
        if (options.Port != 0 && options.Port == options.Http2Port)
        {
            reader.Error(EmulatorDiagnosticCodes.InvalidValue, "http2Port", YamlReader.Get(root, "http2Port")!,
                $"port {options.Port} is already the HTTP/1.1 port; the cleartext HTTP/2 listener needs its own.", "pick another port, or omit http2Port (a free port is chosen).");
        }
    }

    private static int? ReadPort(YamlReader reader, YamlMappingNode root, string key)
    {
        if (reader.String(root, key, string.Empty) is not { } portText)
        {
            return null;
        }

        if (int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            return port;
        }

        reader.Error(EmulatorDiagnosticCodes.InvalidValue, key, YamlReader.Get(root, key)!, "expected a port number from 0 to 65535 (0 picks a free port).");
        return null;
    }

    private static HashSet<string> ReadAccounts(YamlReader reader, YamlMappingNode root, EmulatorOptions options)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, path) in reader.MappingItems(root, "accounts", string.Empty))
        {
            reader.CheckKeys(item, path, "id", "name", "email");
            var id = reader.String(item, "id", path, required: true);
            if (id is null)
            {
                continue;
            }

            if (!AccountIdPattern().IsMatch(id))
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, $"{path}.id", YamlReader.Get(item, "id")!, $"'{id}' is not a 12-digit AWS account id.", "quote it so YAML keeps leading zeros: id: \"111122223333\".");
                continue;
            }

            if (!ids.Add(id))
            {
                reader.Error(EmulatorDiagnosticCodes.Duplicate, $"{path}.id", item, $"account {id} is listed twice.");
                continue;
            }

            options.Accounts.Add(new AccountOptions { Id = id, Name = reader.String(item, "name", path), Email = reader.String(item, "email", path) });
        }

        return ids;
    }

    private static HashSet<string> ReadUsers(YamlReader reader, YamlMappingNode root, EmulatorOptions options, HashSet<string> accounts)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var keyIds = new HashSet<string>(StringComparer.Ordinal);
        var apiKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, path) in reader.MappingItems(root, "users", string.Empty))
        {
            reader.CheckKeys(item, path, "name", "account", "path", "groups", "accessKeys", "bedrockApiKeys");
            var name = reader.String(item, "name", path, required: true);
            var account = reader.String(item, "account", path, required: true);
            if (name is not null && !IamNamePattern().IsMatch(name))
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, $"{path}.name", YamlReader.Get(item, "name")!, $"'{name}' is not a valid IAM user name.", "use 1-64 letters, digits or +=,.@_- characters.");
                name = null;
            }

            if (name is not null && !names.Add(name))
            {
                reader.Error(EmulatorDiagnosticCodes.Duplicate, $"{path}.name", item, $"user '{name}' is defined twice.");
                name = null;
            }

            if (account is not null && !accounts.Contains(account))
            {
                reader.Error(EmulatorDiagnosticCodes.UnknownReference, $"{path}.account", YamlReader.Get(item, "account")!, $"account '{account}' is not in 'accounts'.", "add it under accounts: or fix the id.");
                account = null;
            }

            var iamPath = reader.String(item, "path", path) ?? "/";
            if (!iamPath.StartsWith('/') || !iamPath.EndsWith('/'))
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, $"{path}.path", YamlReader.Get(item, "path")!, $"IAM path '{iamPath}' must start and end with '/'.");
                iamPath = "/";
            }

            var keys = new List<AccessKeyOptions>();
            foreach (var (keyItem, keyPath) in reader.MappingItems(item, "accessKeys", path))
            {
                reader.CheckKeys(keyItem, keyPath, "accessKeyId", "secretAccessKey");
                var id = reader.String(keyItem, "accessKeyId", keyPath, required: true);
                var secret = reader.String(keyItem, "secretAccessKey", keyPath, required: true);
                if (id is null || secret is null)
                {
                    continue;
                }

                if (!LongTermKeyIdPattern().IsMatch(id))
                {
                    reader.Error(EmulatorDiagnosticCodes.InvalidAccessKey, $"{keyPath}.accessKeyId", YamlReader.Get(keyItem, "accessKeyId")!,
                        "a long-term access key id is 'AKIA' followed by 16 upper-case letters or digits.", "for example AKIAIOSFODNN7EXAMPLE.");
                    continue;
                }

                if (secret.Length < 16)
                {
                    // Never echo the secret itself (code standards: secrets stay out of diagnostics).
                    reader.Error(EmulatorDiagnosticCodes.InvalidAccessKey, $"{keyPath}.secretAccessKey", YamlReader.Get(keyItem, "secretAccessKey")!, "the secret access key is too short (AWS secrets are 40 characters).");
                    continue;
                }

                if (!keyIds.Add(id))
                {
                    reader.Error(EmulatorDiagnosticCodes.Duplicate, $"{keyPath}.accessKeyId", keyItem, $"access key {id} is used twice.");
                    continue;
                }

                keys.Add(new AccessKeyOptions { AccessKeyId = id, SecretAccessKey = secret });
            }

            var bedrockKeys = reader.StringList(item, "bedrockApiKeys", path);
            foreach (var key in bedrockKeys)
            {
                if (!apiKeys.Add(key))
                {
                    reader.Error(EmulatorDiagnosticCodes.Duplicate, $"{path}.bedrockApiKeys", YamlReader.Get(item, "bedrockApiKeys")!, "the same Bedrock API key is listed twice.");
                }
                else if (key.StartsWith("bedrock-api-key-", StringComparison.Ordinal))
                {
                    reader.Error(EmulatorDiagnosticCodes.InvalidValue, $"{path}.bedrockApiKeys", YamlReader.Get(item, "bedrockApiKeys")!,
                        "short-term Bedrock API keys (bedrock-api-key-...) are minted from credentials, not configured.", "list only long-term keys here.");
                }
            }

            if (name is not null && account is not null)
            {
                options.Users.Add(new UserOptions
                {
                    Name = name,
                    Account = account,
                    Path = iamPath,
                    Groups = reader.StringList(item, "groups", path),
                    AccessKeys = keys,
                    BedrockApiKeys = bedrockKeys,
                });
            }
        }

        return names;
    }

    private static void ReadPermissionSets(YamlReader reader, YamlMappingNode root, EmulatorOptions options, HashSet<string> accounts, HashSet<string> users)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, path) in reader.MappingItems(root, "permissionSets", string.Empty))
        {
            reader.CheckKeys(item, path, "name", "sessionDuration", "assignments");
            var name = reader.String(item, "name", path, required: true);
            if (name is null)
            {
                continue;
            }

            if (!PermissionSetNamePattern().IsMatch(name) || !names.Add(name))
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, $"{path}.name", YamlReader.Get(item, "name")!, $"permission set name '{name}' is invalid or used twice.", "use 1-32 letters, digits or +=,.@- characters, unique in the file.");
                continue;
            }

            var assignments = new List<PermissionSetAssignment>();
            foreach (var (a, aPath) in reader.MappingItems(item, "assignments", path))
            {
                reader.CheckKeys(a, aPath, "account", "users");
                var account = reader.String(a, "account", aPath, required: true);
                if (account is not null && !accounts.Contains(account))
                {
                    reader.Error(EmulatorDiagnosticCodes.UnknownReference, $"{aPath}.account", YamlReader.Get(a, "account")!, $"account '{account}' is not in 'accounts'.");
                    continue;
                }

                var assigned = reader.StringList(a, "users", aPath);
                foreach (var u in assigned.Where(u => !users.Contains(u)))
                {
                    reader.Error(EmulatorDiagnosticCodes.UnknownReference, $"{aPath}.users", YamlReader.Get(a, "users")!, $"user '{u}' is not in 'users'.");
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

    private static void ReadRoles(YamlReader reader, YamlMappingNode root, EmulatorOptions options, HashSet<string> accounts)
    {
        var arns = new HashSet<string>(StringComparer.Ordinal);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(reader.File)) ?? Environment.CurrentDirectory;
        foreach (var (item, path) in reader.MappingItems(root, "roles", string.Empty))
        {
            reader.CheckKeys(item, path, "name", "account", "path", "maxSessionDuration", "trust");
            var name = reader.String(item, "name", path, required: true);
            var account = reader.String(item, "account", path, required: true);
            if (name is null || account is null)
            {
                continue;
            }

            if (!IamNamePattern().IsMatch(name))
            {
                reader.Error(EmulatorDiagnosticCodes.InvalidValue, $"{path}.name", YamlReader.Get(item, "name")!, $"'{name}' is not a valid IAM role name.");
                continue;
            }

            if (!accounts.Contains(account))
            {
                reader.Error(EmulatorDiagnosticCodes.UnknownReference, $"{path}.account", YamlReader.Get(item, "account")!, $"account '{account}' is not in 'accounts'.");
                continue;
            }

            if (!arns.Add($"{account}/{name}"))
            {
                reader.Error(EmulatorDiagnosticCodes.Duplicate, $"{path}.name", item, $"role '{name}' is defined twice in account {account}.");
                continue;
            }

            var trustedPrincipals = new List<string>();
            var webIdentity = new List<WebIdentityTrust>();
            string? externalId = null;
            if (reader.Mapping(item, "trust", path) is { } trust)
            {
                var trustPath = $"{path}.trust";
                reader.CheckKeys(trust, trustPath, "principals", "externalId", "webIdentity");
                externalId = reader.String(trust, "externalId", trustPath);
                foreach (var principal in reader.StringList(trust, "principals", trustPath))
                {
                    if (principal == "*" || TrustedPrincipalPattern().IsMatch(principal))
                    {
                        trustedPrincipals.Add(principal);
                    }
                    else
                    {
                        reader.Error(EmulatorDiagnosticCodes.InvalidValue, $"{trustPath}.principals", YamlReader.Get(trust, "principals")!,
                            $"'{principal}' is not a principal ARN.", "use arn:aws:iam::111122223333:user/alice, arn:aws:iam::111122223333:role/Name, arn:aws:iam::111122223333:root or *.");
                    }
                }

                foreach (var (w, wPath) in reader.MappingItems(trust, "webIdentity", trustPath))
                {
                    reader.CheckKeys(w, wPath, "issuer", "audiences", "subjects", "jwksFile");
                    var issuer = reader.String(w, "issuer", wPath, required: true);
                    var audiences = reader.StringList(w, "audiences", wPath);
                    if (issuer is null)
                    {
                        continue;
                    }

                    if (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri) || (issuerUri.Scheme != Uri.UriSchemeHttp && issuerUri.Scheme != Uri.UriSchemeHttps))
                    {
                        reader.Error(EmulatorDiagnosticCodes.InvalidValue, $"{wPath}.issuer", YamlReader.Get(w, "issuer")!, $"'{issuer}' is not an http(s) issuer URL.", "use the exact 'iss' value of the tokens, e.g. http://127.0.0.1:8400.");
                        continue;
                    }

                    if (audiences.Count == 0)
                    {
                        reader.Error(EmulatorDiagnosticCodes.MissingKey, $"{wPath}.audiences", w, "an OIDC trust needs at least one audience (client id), as an IAM OIDC provider does.");
                        continue;
                    }

                    string? jwksFile = null;
                    if (reader.String(w, "jwksFile", wPath) is { } jf)
                    {
                        jwksFile = Path.GetFullPath(Path.Combine(baseDirectory, jf));
                        if (!File.Exists(jwksFile))
                        {
                            reader.Error(EmulatorDiagnosticCodes.InvalidValue, $"{wPath}.jwksFile", YamlReader.Get(w, "jwksFile")!, $"JWKS file '{jf}' does not exist.", "paths are relative to this YAML file.");
                            continue;
                        }
                    }

                    webIdentity.Add(new WebIdentityTrust { Issuer = issuer, Audiences = audiences, Subjects = reader.StringList(w, "subjects", wPath), JwksFile = jwksFile });
                }
            }

            options.Roles.Add(new RoleOptions
            {
                Name = name,
                Account = account,
                Path = reader.String(item, "path", path) ?? "/",
                // IAM: MaxSessionDuration is 3600 to 43200 seconds.
                MaxSessionDuration = reader.Duration(item, "maxSessionDuration", path, TimeSpan.FromHours(1), TimeSpan.FromHours(12)) ?? TimeSpan.FromHours(1),
                TrustedPrincipals = trustedPrincipals,
                ExternalId = externalId,
                WebIdentity = webIdentity,
            });
        }
    }

    private static void ReadIdentityCenter(YamlReader reader, YamlMappingNode root, EmulatorOptions options)
    {
        if (reader.Mapping(root, "identityCenter", string.Empty) is not { } ic)
        {
            return;
        }

        const string P = "identityCenter";
        reader.CheckKeys(ic, P, "startUrl", "deviceCodeLifetime", "pollInterval", "accessTokenLifetime", "refreshTokenLifetime", "clientRegistrationLifetime");
        var defaults = new IdentityCenterOptions();
        options.IdentityCenter = new IdentityCenterOptions
        {
            StartUrl = reader.String(ic, "startUrl", P) ?? defaults.StartUrl,
            DeviceCodeLifetime = reader.Duration(ic, "deviceCodeLifetime", P, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1)) ?? defaults.DeviceCodeLifetime,
            PollInterval = reader.Duration(ic, "pollInterval", P, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)) ?? defaults.PollInterval,
            AccessTokenLifetime = reader.Duration(ic, "accessTokenLifetime", P, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7)) ?? defaults.AccessTokenLifetime,
            RefreshTokenLifetime = reader.Duration(ic, "refreshTokenLifetime", P, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365)) ?? defaults.RefreshTokenLifetime,
            ClientRegistrationLifetime = reader.Duration(ic, "clientRegistrationLifetime", P, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365)) ?? defaults.ClientRegistrationLifetime,
        };
    }

    /// <summary>The <c>bedrock:</c> and <c>faults:</c> sections belong to the Bedrock side of the emulator, which parses them itself.</summary>
    private static void ReadSections(YamlReader reader, YamlMappingNode root, EmulatorOptions options)
    {
        var diagnostics = new List<Diagnostic>();
        if (reader.Mapping(root, "bedrock", string.Empty) is { } bedrock)
        {
            options.Bedrock = BedrockEmulatorOptions.Parse(bedrock, reader.File, diagnostics) with { Region = options.Region };
        }
        else
        {
            options.Bedrock = options.Bedrock with { Region = options.Region };
        }

        if (reader.Mapping(root, "faults", string.Empty) is { } faults)
        {
            options.Faults = FaultOptions.Parse(faults, reader.File, diagnostics);
        }

        foreach (var d in diagnostics)
        {
            options.Diagnostics.Add(d);
        }
    }

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IamNamePattern();

    [GeneratedRegex(@"^[\w+=,.@-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex PermissionSetNamePattern();

    [GeneratedRegex("^AKIA[A-Z0-9]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex LongTermKeyIdPattern();

    [GeneratedRegex(@"^arn:aws(-us-gov|-cn)?:(iam::[0-9]{12}:(root|user/.+|role/.+)|sts::[0-9]{12}:assumed-role/.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex TrustedPrincipalPattern();
}
