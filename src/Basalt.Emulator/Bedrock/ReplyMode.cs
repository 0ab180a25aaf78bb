namespace Basalt.Emulator.Bedrock;

/// <summary>What the model answers when no scripted rule matches.</summary>
internal enum ReplyMode
{
    /// <summary>The text of the last user turn, verbatim.</summary>
    Echo = 0,

    /// <summary>A fixed text (<c>bedrock.replies.defaultText</c>).</summary>
    Text,
}
