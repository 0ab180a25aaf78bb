namespace Basalt.Credentials;

/// <summary>
/// Why a credential is being asked for. Claude Desktop says so in <c>CLAUDE_HELPER_CONTEXT</c>
/// (bedrock-and-clients §6, cowork3p-reference §4): only <see cref="Interactive"/> may open a browser or wait for
/// a user; every other context must use the cache or a silent refresh, or fail fast.
/// </summary>
public enum CredentialContext
{
    /// <summary>A user is present (also the default for terminal use and when the variable is unset).</summary>
    Interactive = 0,

    /// <summary>A running session's credential expired and a turn is waiting: be silent, finish well under 20 s.</summary>
    MidSessionRefresh,

    /// <summary>A scheduled task with no user present.</summary>
    ScheduledTask,

    /// <summary>The connection test in Claude Desktop's configuration window.</summary>
    SetupTest,

    /// <summary>A probe or health check.</summary>
    Background,
}
