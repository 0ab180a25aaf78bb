using System.Globalization;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using Basalt.Aws;
using Basalt.Credentials.IdentityCenter;

namespace Basalt.Credentials.Profiles;

/// <summary>
/// A named profile from the AWS config and credentials files, resolved in the AWS CLI v2's order (botocore
/// <c>AssumeRoleProvider</c> then <c>ProfileProviderBuilder</c>): <c>role_arn</c> (with <c>source_profile</c> or
/// <c>credential_source = Environment</c>, <c>external_id</c>, <c>role_session_name</c>, <c>duration_seconds</c>, cycle
/// detection) → IAM Identity Center (<c>sso_session</c> or legacy <c>sso_start_url</c>) → static keys from the
/// credentials file → <c>credential_process</c> → static keys from the config file. Environment variables are
/// ignored because a profile is named explicitly, as with <c>--profile</c>. When the Identity Center token is missing
/// or expired and the user may be prompted, it runs <c>aws sso login --profile NAME</c> (seed 000). Kind: <c>aws-profile</c>.
/// </summary>
public sealed class AwsProfileSource : ICredentialSource
{
    private readonly string _profileName;
    private readonly CredentialEnvironment _environment;
    private readonly string? _awsDirectory;
    private readonly string? _awsCliPath;
    private readonly AwsClientFactory _clients;

    /// <param name="profileName">The profile (<c>inferenceBedrockProfile</c>).</param>
    /// <param name="awsDirectory">The folder holding <c>config</c> and <c>credentials</c> (<c>inferenceBedrockAwsDir</c>); null for the AWS CLI's defaults.</param>
    /// <param name="awsCliPath">The AWS CLI to run for <c>aws sso login</c> (<c>inferenceBedrockAwsCliPath</c>); null to search for it.</param>
    public AwsProfileSource(string profileName, CredentialEnvironment environment, string? awsDirectory = null, string? awsCliPath = null, AwsServiceEndpoints? endpoints = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(profileName);
        ArgumentNullException.ThrowIfNull(environment);
        _profileName = profileName;
        _environment = environment;
        _awsDirectory = awsDirectory;
        _awsCliPath = awsCliPath;
        _clients = new AwsClientFactory(endpoints ?? AwsServiceEndpoints.FromEnvironment(environment));
    }

    public string Kind => "aws-profile";

    /// <summary>How long a <c>credential_process</c> may run.</summary>
    public TimeSpan CredentialProcessTimeout { get; init; } = CredentialProcess.DefaultTimeout;

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = AwsSharedConfig.Load(_environment, _awsDirectory);
        if (config.Diagnostics.FirstOrDefault(d => d.IsError) is { } error)
        {
            throw new CredentialException(error.ToString());
        }

        if (!config.Profiles.TryGetValue(_profileName, out var profile))
        {
            throw new CredentialException($"The config profile ({_profileName}) could not be found in {config.ConfigFilePath} or {config.CredentialsFilePath}. Add a [profile {_profileName}] section or fix the profile name.");
        }

        var region = profile.Get("region") ?? _environment.Get("AWS_REGION") ?? _environment.Get("AWS_DEFAULT_REGION") ?? "us-east-1";
        var resolution = new Resolution(this, config, request, region);
        if (HasAssumeRoleVars(profile))
        {
            return await resolution.AssumeRoleAsync(_profileName, [_profileName], cancellationToken).ConfigureAwait(false);
        }

        return await resolution.FromProfileProvidersAsync(_profileName, cancellationToken).ConfigureAwait(false)
            ?? throw new CredentialException($"The profile \"{_profileName}\" has no credentials: it sets none of role_arn, sso_session/sso_start_url, aws_access_key_id, or credential_process ({profile.Location}).");
    }

    private static bool HasAssumeRoleVars(AwsConfigProfile profile)
        => profile.Contains("role_arn") && !profile.Contains("web_identity_token_file");

    private static bool HasStaticCredentials(AwsConfigProfile profile)
        => profile.Contains("aws_access_key_id") || profile.Contains("aws_secret_access_key");

    private sealed class Resolution(AwsProfileSource owner, AwsSharedConfig config, CredentialRequest request, string region)
    {
        /// <summary>botocore's ProfileProviderBuilder chain for one profile (no assume-role, no environment).</summary>
        public async Task<AwsCredentials?> FromProfileProvidersAsync(string name, CancellationToken cancellationToken)
        {
            var profile = config.Profiles[name];
            if (profile.Contains("web_identity_token_file"))
            {
                throw new CredentialException($"The profile \"{name}\" uses web_identity_token_file, which is for workloads, not end-user devices; Basalt does not support it. Use an oidc source in basalt-credential.json instead.");
            }

            if (profile.Contains("sso_role_name") || profile.Contains("sso_account_id"))
            {
                return await FromSsoAsync(name, profile, cancellationToken).ConfigureAwait(false);
            }

            if (config.CredentialsFileProfiles.TryGetValue(name, out var fromCredentials) && StaticFrom(fromCredentials, name) is { } shared)
            {
                return shared;
            }

            if (profile.Get("credential_process") is { Length: > 0 } process)
            {
                return await CredentialProcess.RunAsync(name, process, owner._environment, request.Log, owner.CredentialProcessTimeout, cancellationToken).ConfigureAwait(false);
            }

            if (config.ConfigFileProfiles.TryGetValue(name, out var fromConfig) && StaticFrom(fromConfig, name) is { } configured)
            {
                return configured;
            }

            return null;
        }

        public async Task<AwsCredentials> AssumeRoleAsync(string name, List<string> visited, CancellationToken cancellationToken)
        {
            var profile = config.Profiles[name];
            var roleArn = profile.Get("role_arn")!;
            var sourceProfile = profile.Get("source_profile");
            var credentialSource = profile.Get("credential_source");
            if (sourceProfile is not null && credentialSource is not null)
            {
                throw new CredentialException($"The profile \"{name}\" contains both source_profile and credential_source ({profile.Location}). Keep one.");
            }

            AwsCredentials source;
            if (credentialSource is not null)
            {
                source = FromCredentialSource(name, credentialSource);
            }
            else if (sourceProfile is not null)
            {
                if (!config.Profiles.TryGetValue(sourceProfile, out var sourceConfig))
                {
                    throw new CredentialException($"The source_profile \"{sourceProfile}\" referenced in the profile \"{name}\" does not exist ({profile.LocationOf("source_profile")}).");
                }

                // botocore _validate_source_profile: revisiting a profile is a loop, except a profile naming itself
                // to use its own static keys.
                if (visited.Contains(sourceProfile) && (sourceProfile != name || !HasStaticCredentials(sourceConfig)))
                {
                    throw new CredentialException($"Infinite loop in credential configuration detected. Attempting to load from profile {sourceProfile} which has already been visited. Visited profiles: {string.Join(", ", visited)}. Fix source_profile in {profile.LocationOf("source_profile")}.");
                }

                visited.Add(sourceProfile);
                if (HasStaticCredentials(sourceConfig) || !HasAssumeRoleVars(sourceConfig))
                {
                    source = await FromProfileProvidersAsync(sourceProfile, cancellationToken).ConfigureAwait(false)
                        ?? throw new CredentialException($"The source profile \"{sourceProfile}\" must have credentials.");
                }
                else
                {
                    source = await AssumeRoleAsync(sourceProfile, visited, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                throw new CredentialException($"The profile \"{name}\" sets role_arn but neither source_profile nor credential_source ({profile.Location}).");
            }

            var assume = new AssumeRoleRequest
            {
                RoleArn = roleArn,

                // botocore's default session name, so CloudTrail looks the same whichever tool assumed the role.
                RoleSessionName = profile.Get("role_session_name") ?? $"botocore-session-{owner._environment.UtcNow.ToUnixTimeSeconds()}",
            };
            if (profile.Get("external_id") is { } externalId)
            {
                assume.ExternalId = externalId;
            }

            if (profile.Get("duration_seconds") is { } duration && int.TryParse(duration, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            {
                assume.DurationSeconds = seconds;
            }

            if (profile.Contains("mfa_serial"))
            {
                throw new CredentialException($"The profile \"{name}\" requires an MFA code (mfa_serial), which a credential helper cannot prompt for. Use a profile without mfa_serial, or IAM Identity Center.");
            }

            using var sts = owner._clients.CreateSts(source, region);
            try
            {
                var response = await sts.AssumeRoleAsync(assume, cancellationToken).ConfigureAwait(false);
                var c = response.Credentials;
                return new AwsCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, c.Expiration is { } e ? new DateTimeOffset(DateTime.SpecifyKind(e, DateTimeKind.Utc)) : null);
            }
            catch (AmazonServiceException e)
            {
                throw new CredentialException($"STS refused to assume {roleArn} for profile \"{name}\" ({e.ErrorCode ?? e.GetType().Name}: {e.Message}).", e);
            }
        }

        private AwsCredentials FromCredentialSource(string name, string credentialSource)
        {
            switch (credentialSource)
            {
                case "Environment":
                    var id = owner._environment.Get("AWS_ACCESS_KEY_ID");
                    var secret = owner._environment.Get("AWS_SECRET_ACCESS_KEY");
                    if (id is null || secret is null)
                    {
                        throw new CredentialException($"No credentials found in credential_source referenced in profile {name}: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.");
                    }

                    return new AwsCredentials(id, secret, owner._environment.Get("AWS_SESSION_TOKEN"));
                case "Ec2InstanceMetadata":
                case "EcsContainer":
                    throw new CredentialException($"The profile \"{name}\" uses credential_source = {credentialSource}, which only works on AWS compute, not on an end-user device.");
                default:
                    throw new CredentialException($"The credential source \"{credentialSource}\" referenced in profile \"{name}\" is not valid (expected Environment, Ec2InstanceMetadata or EcsContainer).");
            }
        }

        private static AwsCredentials? StaticFrom(AwsConfigProfile profile, string name)
        {
            var id = profile.Get("aws_access_key_id");
            if (id is null)
            {
                return null;
            }

            var secret = profile.Get("aws_secret_access_key")
                ?? throw new CredentialException($"Partial credentials found in profile \"{name}\", missing: aws_secret_access_key ({profile.Location}).");
            return new AwsCredentials(id, secret, profile.Get("aws_session_token") ?? profile.Get("aws_security_token"));
        }

        private async Task<AwsCredentials> FromSsoAsync(string name, AwsConfigProfile profile, CancellationToken cancellationToken)
        {
            var sso = ResolveSso(name, profile);
            var tokens = new SsoTokenProvider(new SsoTokenCache(SsoTokenCache.DefaultDirectory(owner._environment)), owner._clients, owner._environment);

            // Legacy profiles are never refreshed by the AWS CLI (no registration in their cache entry) but the
            // silent path handles both: a refresh is only tried when the entry carries refresh data.
            var token = request.ForceLogin ? null : await tokens.TryGetSilentAsync(sso.Session, request.Log, cancellationToken).ConfigureAwait(false);
            var loggedIn = false;
            if (token is null)
            {
                token = await LoginAsync(name, sso.Session, tokens, cancellationToken).ConfigureAwait(false);
                loggedIn = true;
            }

            var credentials = await SsoRoleCredentials.GetAsync(owner._clients, sso.Session.Region, token, sso.AccountId, sso.RoleName, cancellationToken).ConfigureAwait(false);
            if (credentials is null && !loggedIn)
            {
                token = await LoginAsync(name, sso.Session, tokens, cancellationToken).ConfigureAwait(false);
                credentials = await SsoRoleCredentials.GetAsync(owner._clients, sso.Session.Region, token, sso.AccountId, sso.RoleName, cancellationToken).ConfigureAwait(false);
            }

            return credentials ?? throw new CredentialException($"The SSO session associated with profile \"{name}\" has expired or is otherwise invalid. Run: aws sso login --profile {name}");
        }

        private async Task<SsoToken> LoginAsync(string name, SsoSessionConfig session, SsoTokenProvider tokens, CancellationToken cancellationToken)
        {
            if (!request.MayPromptUser)
            {
                throw new CredentialException($"The IAM Identity Center sign-in for profile \"{name}\" has expired, and this run ({request.Context}) may not open a browser. Run: aws sso login --profile {name}")
                {
                    NeedsInteractiveSignIn = true,
                };
            }

            var cli = await AwsCli.FindAsync(owner._environment, owner._awsCliPath, cancellationToken).ConfigureAwait(false)
                ?? throw new CredentialException(AwsCli.InstallHint(name)) { NeedsInteractiveSignIn = true };

            // The CLI must read the same files we did, including an inferenceBedrockAwsDir override.
            var environment = owner._environment.With(
            [
                new("AWS_CONFIG_FILE", config.ConfigFilePath),
                new("AWS_SHARED_CREDENTIALS_FILE", config.CredentialsFilePath),
            ]);
            request.Log.WriteLine($"Signing in with: {cli} sso login --profile {name}");
            var exit = await AwsCli.SsoLoginAsync(cli, name, environment, request.Log, cancellationToken).ConfigureAwait(false);
            if (exit != 0)
            {
                throw new CredentialException($"aws sso login --profile {name} failed with exit code {exit} (its output is above).");
            }

            return tokens.Cache.ReadToken(session.TokenKey, request.Log) is { } token && token.ExpiresAt > owner._environment.UtcNow
                ? token
                : throw new CredentialException($"aws sso login --profile {name} finished but left no usable token in {tokens.Cache.Directory}.");
        }

        private (SsoSessionConfig Session, string AccountId, string RoleName) ResolveSso(string name, AwsConfigProfile profile)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in profile.Keys)
            {
                values[key] = profile.Get(key)!;
            }

            var sessionName = profile.Get("sso_session");
            IReadOnlyList<string>? scopes = null;
            if (sessionName is not null)
            {
                if (!config.SsoSessions.TryGetValue(sessionName, out var session))
                {
                    throw new CredentialException($"The specified sso-session does not exist: \"{sessionName}\" (profile \"{name}\", {profile.LocationOf("sso_session")}). Add an [sso-session {sessionName}] section.");
                }

                foreach (var key in session.Keys)
                {
                    var v = session.Get(key)!;
                    if (values.TryGetValue(key, out var existing) && existing != v)
                    {
                        throw new CredentialException($"The value for {key} is inconsistent between profile ({existing}) and sso-session ({v}) for profile \"{name}\".");
                    }

                    values[key] = v;
                }

                if (session.Get("sso_registration_scopes") is { } rawScopes)
                {
                    scopes = [.. rawScopes.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0)];
                }
            }

            string[] required = sessionName is null
                ? ["sso_role_name", "sso_account_id", "sso_start_url", "sso_region"]
                : ["sso_role_name", "sso_account_id", "sso_start_url", "sso_region", "sso_session"];
            var missing = required.Where(k => !values.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                throw new CredentialException($"The profile \"{name}\" is configured to use SSO but is missing required configuration: {string.Join(", ", missing)} ({profile.Location}).");
            }

            return (new SsoSessionConfig(values["sso_start_url"], values["sso_region"], sessionName, scopes), values["sso_account_id"], values["sso_role_name"]);
        }
    }
}
