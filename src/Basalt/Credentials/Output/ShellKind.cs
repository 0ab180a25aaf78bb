namespace Basalt.Credentials.Output;

/// <summary>The shell an environment export is written for.</summary>
public enum ShellKind
{
    /// <summary>sh, bash, zsh: <c>export NAME='value'</c>.</summary>
    Posix = 0,

    /// <summary>PowerShell: <c>$Env:NAME = 'value'</c>.</summary>
    PowerShell,
}
