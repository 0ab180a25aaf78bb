namespace Basalt.Credentials;

/// <summary>
/// What a caller asks of a credential source. <see cref="Log"/> receives human diagnostics (stderr in the helper);
/// nothing written there may contain a secret.
/// </summary>
public sealed record CredentialRequest(CredentialContext Context, TextWriter Log)
{
    /// <summary>Only an interactive request may open a browser, print a device code, or wait for a user.</summary>
    public bool MayPromptUser => Context == CredentialContext.Interactive;

    /// <summary>Ignore cached credentials and sign in again (the <c>--login</c> command).</summary>
    public bool ForceLogin { get; init; }
}
