using Basalt.Credentials.Output;

namespace Basalt.Credentials.Cli;

/// <summary>
/// One parsed command line of the credential helper: the verb and its options. The NativeAOT binary builds it with
/// <see cref="CredentialCommandLine.Parse"/>; <c>basalt credentials</c> builds it from System.CommandLine results;
/// both hand it to <see cref="CredentialHelperCommand.RunAsync(CredentialInvocation, CredentialHost, CancellationToken)"/>.
/// </summary>
public sealed record CredentialInvocation(CredentialVerb Verb)
{
    /// <summary><c>--profile</c>: the profile of the settings file; null means its default profile.</summary>
    public string? Profile { get; init; }

    /// <summary><c>--settings</c>: an explicit settings file (else <see cref="Settings.CredentialSettingsLocator"/> searches).</summary>
    public string? SettingsPath { get; init; }

    /// <summary><c>--shell</c> for <see cref="CredentialVerb.Env"/>; null means PowerShell on Windows, POSIX elsewhere.</summary>
    public ShellKind? Shell { get; init; }
}
