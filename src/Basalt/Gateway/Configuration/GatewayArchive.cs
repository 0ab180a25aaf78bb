using Basalt.Policy.Archive;

namespace Basalt.Gateway.Configuration;

/// <summary>Where the prompt archive lives and its key (issue 12 item 3); required once any group archives.</summary>
public sealed record GatewayArchive(string Path, ArchiveKey Key, TimeSpan Retention);
