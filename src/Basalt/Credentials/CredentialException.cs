namespace Basalt.Credentials;

/// <summary>
/// A credential could not be obtained. The message is shown to the user as is: it says what failed and what to
/// do, and never contains a secret. <see cref="NeedsInteractiveSignIn"/> tells a silent caller that only an
/// interactive run (or <c>--login</c>) can fix it.
/// </summary>
public sealed class CredentialException : Exception
{
    public CredentialException()
    {
    }

    public CredentialException(string message)
        : base(message)
    {
    }

    public CredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public bool NeedsInteractiveSignIn { get; init; }
}
