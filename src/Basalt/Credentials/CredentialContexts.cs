namespace Basalt.Credentials;

/// <summary>Reads Claude Desktop's <c>CLAUDE_HELPER_CONTEXT</c> (bedrock-and-clients §6, cowork3p-reference §4).</summary>
public static class CredentialContexts
{
    public const string ContextVariable = "CLAUDE_HELPER_CONTEXT";

    public const string LegacyManualRunVariable = "CLAUDE_HELPER_MANUAL_RUN";

    /// <summary>
    /// <c>interactive</c> or unset → <see cref="CredentialContext.Interactive"/> (a terminal user, or an older
    /// Desktop); <c>mid-session-refresh</c>, <c>scheduled-task</c>, <c>setup-test</c>, <c>background</c> map to their
    /// values; legacy <c>CLAUDE_HELPER_MANUAL_RUN=1</c> alone means setup-test. An unknown value is treated as
    /// <see cref="CredentialContext.Background"/>: only the two documented cases may open a browser.
    /// </summary>
    public static CredentialContext FromEnvironment(CredentialEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Get(ContextVariable) switch
        {
            null => environment.Get(LegacyManualRunVariable) == "1" ? CredentialContext.SetupTest : CredentialContext.Interactive,
            "interactive" => CredentialContext.Interactive,
            "mid-session-refresh" => CredentialContext.MidSessionRefresh,
            "scheduled-task" => CredentialContext.ScheduledTask,
            "setup-test" => CredentialContext.SetupTest,
            "background" => CredentialContext.Background,
            _ => CredentialContext.Background,
        };
    }

    /// <summary>The wire name, e.g. <c>mid-session-refresh</c>.</summary>
    public static string ToName(CredentialContext context) => context switch
    {
        CredentialContext.Interactive => "interactive",
        CredentialContext.MidSessionRefresh => "mid-session-refresh",
        CredentialContext.ScheduledTask => "scheduled-task",
        CredentialContext.SetupTest => "setup-test",
        CredentialContext.Background => "background",
        _ => throw new ArgumentOutOfRangeException(nameof(context)),
    };
}
