using System.Globalization;
using System.Reflection;
using Amazon.Runtime;
using Basalt.Credentials.Output;
using Basalt.Credentials.Settings;
using Basalt.Diagnostics;

namespace Basalt.Credentials.Cli;

/// <summary>
/// The commands of the credential helper, shared by the NativeAOT <c>basalt-credential</c> binary and by
/// <c>basalt credentials</c>, so both behave identically. Contract (cowork3p-reference §4, bedrock-and-clients §4/§6):
/// stdout carries exactly the requested output and nothing else; every message goes to stderr; exit 0 on success,
/// 1 on failure, 2 on a usage error; no secret is ever written to stderr; runs other than
/// <c>CLAUDE_HELPER_CONTEXT=interactive</c> never prompt and fail fast instead.
/// </summary>
public static class CredentialHelperCommand
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    /// <summary>
    /// Desktop caps a <c>mid-session-refresh</c> run at 20 s (cowork3p-reference §4); finish before that so the
    /// user gets our message rather than a kill.
    /// </summary>
    public static readonly TimeSpan MidSessionRefreshTimeout = TimeSpan.FromSeconds(18);

    /// <summary>Other silent runs: under Desktop's default per-run timeout of 60 s.</summary>
    public static readonly TimeSpan SilentTimeout = TimeSpan.FromSeconds(50);

    /// <summary>An interactive sign-in waits for a person (device codes live 10 minutes).</summary>
    public static readonly TimeSpan InteractiveTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Parses <paramref name="args"/> with <see cref="CredentialCommandLine"/> and runs the command.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CredentialHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(host);
        var invocation = CredentialCommandLine.Parse(args, out var error);
        if (invocation is null)
        {
            host.Stderr.WriteLine($"{host.ProgramName}: {error}");
            host.Stderr.WriteLine($"Run '{host.ProgramName} --help' for the commands.");
            return Task.FromResult(UsageError);
        }

        return RunAsync(invocation, host, cancellationToken);
    }

    /// <summary>Runs one parsed command; never throws for user-facing failures (they become stderr + exit code).</summary>
    public static async Task<int> RunAsync(CredentialInvocation invocation, CredentialHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(host);
        switch (invocation.Verb)
        {
            case CredentialVerb.Help:
                host.Stdout.Write(CredentialCommandLine.Usage(host.ProgramName));
                host.Stdout.WriteLine();
                return Success;
            case CredentialVerb.Version:
                host.Stdout.WriteLine($"{host.ProgramName} {Version}");
                return Success;
        }

        var context = invocation.Verb == CredentialVerb.Login ? CredentialContext.Interactive : CredentialContexts.FromEnvironment(host.Environment);

        // Silent contexts keep stderr for the one line that explains a failure (cowork3p-reference §4: diagnostics
        // only in interactive or setup-test runs).
        var log = context is CredentialContext.Interactive or CredentialContext.SetupTest ? host.Stderr : TextWriter.Null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var limit = context switch
        {
            CredentialContext.Interactive => InteractiveTimeout,
            CredentialContext.MidSessionRefresh => MidSessionRefreshTimeout,
            _ => SilentTimeout,
        };
        timeout.CancelAfter(limit);
        try
        {
            if (invocation.Verb == CredentialVerb.Check)
            {
                return Check(invocation, host);
            }

            var settings = LoadSettings(invocation, host, log, out var settingsPath);
            if (settings is null)
            {
                return Failure;
            }

            if (invocation.Verb is CredentialVerb.Desktop or CredentialVerb.Token)
            {
                settings = WithBedrockToken(settings, invocation.Profile);
            }

            var resolver = new CredentialHelperResolver(settings, host.Environment);
            var request = new CredentialRequest(context, log) { ForceLogin = invocation.Verb == CredentialVerb.Login };
            switch (invocation.Verb)
            {
                case CredentialVerb.Explain:
                    CredentialExplainer.Write(host.Stdout, resolver, invocation.Profile, settingsPath!, context, host.Environment);
                    return Success;
                case CredentialVerb.ClearCache:
                    return ClearCache(resolver, invocation.Profile, host);
                case CredentialVerb.CheckExpiration:
                    return CheckExpiration(resolver, invocation.Profile, host);
            }

            var profile = resolver.GetProfile(invocation.Profile);
            if (invocation.Verb == CredentialVerb.GatewayOAuthToken || profile.Source == CredentialSourceKind.Gateway)
            {
                var token = await GatewayAccessTokenAsync(resolver, profile, invocation.Verb, request, timeout.Token).ConfigureAwait(false);
                host.Stdout.Write(token + "\n");
                host.Stdout.Flush();
                return Success;
            }

            var resolved = await resolver.ResolveAsync(invocation.Profile, request, timeout.Token).ConfigureAwait(false);
            var output = invocation.Verb switch
            {
                CredentialVerb.Desktop => resolved.ToDesktopHelperOutput(),
                CredentialVerb.Token => resolved.BearerToken ?? throw new CredentialException($"Profile \"{resolved.Profile.Name}\" has no Bedrock token."),
                CredentialVerb.GatewayToken => resolver.GatewayToken(resolved),
                CredentialVerb.Process => resolved.ToCredentialProcessJson(),
                CredentialVerb.ClaudeCode => resolved.ToAwsCredentialExportJson(),
                CredentialVerb.Env => resolved.ToShellExport(invocation.Shell ?? (OperatingSystem.IsWindows() ? ShellKind.PowerShell : ShellKind.Posix)),
                CredentialVerb.Login => LoginSummary(resolved, host.Environment),
                _ => throw new ArgumentOutOfRangeException(nameof(invocation), invocation.Verb, "unhandled verb"),
            };

            // One write, so a reader never sees half a credential; env output already ends with a newline.
            host.Stdout.Write(output.EndsWith('\n') ? output : output + "\n");
            host.Stdout.Flush();
            return Success;
        }
        catch (CredentialException e)
        {
            return Fail(host, e.Message);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Fail(host, $"gave up after {limit.TotalSeconds:0} s ({CredentialContexts.ToName(context)} run); the identity service did not answer in time. Check the network, then try again.");
        }
        catch (OperationCanceledException)
        {
            return Fail(host, "cancelled.");
        }
        catch (AmazonServiceException e)
        {
            // The service's own error code and message (no request data, so no secrets).
            return Fail(host, $"AWS rejected the request ({e.ErrorCode ?? e.StatusCode.ToString()}): {e.Message}");
        }
        catch (AmazonClientException e)
        {
            return Fail(host, $"cannot reach the AWS identity service: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return Fail(host, $"network error: {e.Message}");
        }
        catch (IOException e)
        {
            return Fail(host, $"file error: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return Fail(host, $"permission denied: {e.Message}");
        }
#pragma warning disable CA1031 // The process boundary: a user gets one line and an exit code, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // The type and message only: exception messages in this code path carry no secret (ARCHITECTURE.md).
            return Fail(host, $"unexpected error ({e.GetType().Name}): {e.Message}");
        }
    }

    /// <summary>The informational version of the library, without the source-revision suffix.</summary>
    public static string Version
    {
        get
        {
            var version = typeof(CredentialHelperCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = version.IndexOf('+', StringComparison.Ordinal);
            return plus > 0 ? version[..plus] : version;
        }
    }

    /// <summary>
    /// <c>gateway-oauth-token</c> (and <c>login</c>) for a <c>gateway</c> profile: the gateway's access token alone on
    /// stdout, the one form both Claude Code's apiKeyHelper and Claude Desktop's credential helper read (like
    /// <c>gateway-token</c>). Other verbs make AWS credentials, which a gateway profile does not have.
    /// </summary>
    private static async Task<string> GatewayAccessTokenAsync(CredentialHelperResolver resolver, CredentialProfileSettings profile, CredentialVerb verb, CredentialRequest request, CancellationToken cancellationToken)
    {
        if (profile.Source != CredentialSourceKind.Gateway)
        {
            throw new CredentialException($"Profile \"{profile.Name}\" gets AWS credentials ({CredentialSourceKinds.ToName(profile.Source)}); {CredentialVerbNames.GatewayOAuthToken} needs a profile with \"source\": \"gateway\" and \"gatewayUrl\". For an AWS identity token use {CredentialVerbNames.GatewayToken}.");
        }

        if (verb is not (CredentialVerb.GatewayOAuthToken or CredentialVerb.Login))
        {
            throw new CredentialException($"Profile \"{profile.Name}\" signs in to the gateway {profile.GatewayUrl} and has no AWS credentials; use '{CredentialVerbNames.GatewayOAuthToken}' (or 'login').");
        }

        using var signIn = resolver.GatewaySignInFor(profile);
        var token = await signIn.GetAccessTokenAsync(request, cancellationToken).ConfigureAwait(false);
        if (verb == CredentialVerb.Login)
        {
            // login prints a summary, never the token.
            var session = signIn.Cached();
            return session is null ? $"Signed in to {profile.GatewayUrl}." : $"Signed in to {profile.GatewayUrl} for profile \"{profile.Name}\"; the access token is valid until {CredentialOutput.FormatExpiration(session.AccessTokenExpiresAt)}, the sign-in is renewed silently.";
        }

        return token;
    }

    private static int Fail(CredentialHost host, string message)
    {
        host.Stderr.WriteLine($"{host.ProgramName}: {message}");
        return Failure;
    }

    private static CredentialHelperSettings? LoadSettings(CredentialInvocation invocation, CredentialHost host, TextWriter log, out string? path)
    {
        path = CredentialSettingsLocator.Find(host.Environment, out var error, invocation.SettingsPath, host.ExecutableDirectory);
        if (path is null)
        {
            host.Stderr.WriteLine($"{host.ProgramName}: {error}. Ask IT for the Basalt credential helper settings, or pass --settings FILE.");
            return null;
        }

        var diagnostics = new List<Diagnostic>();
        var settings = CredentialHelperSettings.Load(path, diagnostics);
        foreach (var d in diagnostics)
        {
            // Errors always (the run fails because of them); warnings only where a person may read them.
            (d.IsError ? host.Stderr : log).WriteLine($"{host.ProgramName}: {d}");
        }

        return settings;
    }

    /// <summary>
    /// The Desktop helper and <c>token</c> always hand out a Bedrock token (bedrock-and-clients §6: for Bedrock the
    /// credential is a Bedrock API key), minted from the profile's AWS credentials even if the profile does not ask
    /// for one in its <c>output</c>. The cache key does not depend on <c>output</c>, so the same cached
    /// credentials serve every command.
    /// </summary>
    private static CredentialHelperSettings WithBedrockToken(CredentialHelperSettings settings, string? profileName)
    {
        var profile = settings.GetProfile(profileName);
        if (profile is null || profile.Source == CredentialSourceKind.BedrockApiKey || profile.Output.BedrockToken)
        {
            return settings;
        }

        var profiles = new Dictionary<string, CredentialProfileSettings>(settings.Profiles, StringComparer.Ordinal)
        {
            [profile.Name] = profile with { Output = profile.Output with { BedrockToken = true } },
        };
        return settings with { Profiles = profiles };
    }

    private static string LoginSummary(ResolvedCredential resolved, CredentialEnvironment environment)
    {
        var expiration = resolved.AwsCredentials?.Expiration;
        return expiration is { } e
            ? $"Signed in for profile \"{resolved.Profile.Name}\"; credentials valid until {CredentialOutput.FormatExpiration(e)} ({Remaining(e - environment.UtcNow)} left)."
            : $"Profile \"{resolved.Profile.Name}\" has long-term credentials; nothing to sign in to.";
    }

    private static int ClearCache(CredentialHelperResolver resolver, string? profileName, CredentialHost host)
    {
        var names = profileName is null ? resolver.Settings.Profiles.Keys.ToList() : [resolver.GetProfile(profileName).Name];
        foreach (var name in names)
        {
            resolver.SignOut(name);
        }

        host.Stderr.WriteLine(names.Count == 1
            ? $"Cleared cached credentials of profile \"{names[0]}\"."
            : $"Cleared cached credentials of {names.Count} profiles ({string.Join(", ", names)}).");
        return Success;
    }

    private static int CheckExpiration(CredentialHelperResolver resolver, string? profileName, CredentialHost host)
    {
        var profile = resolver.GetProfile(profileName);
        var state = CacheState.Read(resolver, profile, host.Environment);
        host.Stdout.WriteLine(state.Describe(host.Environment.UtcNow));
        return state.Valid ? Success : Failure;
    }

    private static int Check(CredentialInvocation invocation, CredentialHost host)
    {
        var path = CredentialSettingsLocator.Find(host.Environment, out var error, invocation.SettingsPath, host.ExecutableDirectory);
        if (path is null)
        {
            host.Stderr.WriteLine($"{host.ProgramName}: {error}.");
            return Failure;
        }

        var diagnostics = new List<Diagnostic>();
        var settings = CredentialHelperSettings.Load(path, diagnostics);
        foreach (var d in diagnostics)
        {
            host.Stdout.WriteLine(d.ToString());
        }

        if (settings is null)
        {
            host.Stdout.WriteLine($"{path}: {diagnostics.Count(d => d.IsError)} error(s).");
            return Failure;
        }

        host.Stdout.WriteLine($"{path}: OK, {settings.Profiles.Count} profile(s): {string.Join(", ", settings.Profiles.Keys)}" +
            (settings.GetProfile(null) is { } d0 ? $" (default {d0.Name})." : "."));
        return Success;
    }

    internal static string Remaining(TimeSpan left)
    {
        if (left <= TimeSpan.Zero)
        {
            return "0 min";
        }

        return left.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours} h {left.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)left.TotalMinutes)} min");
    }
}
