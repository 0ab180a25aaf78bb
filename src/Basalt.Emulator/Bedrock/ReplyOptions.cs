namespace Basalt.Emulator.Bedrock;

/// <summary>The reply script: ordered rules (first match wins) and what to answer when none matches.</summary>
internal sealed record ReplyOptions(ReplyMode Mode, string DefaultText, IReadOnlyList<ScriptedRule> Rules)
{
    public static ReplyOptions Echo { get; } = new(ReplyMode.Echo, string.Empty, []);
}
