using Basalt.Diagnostics;

namespace Basalt.ManagedConfig;

/// <summary>
/// One key/value pair as read from a source. <see cref="Value"/> is the text the app would see: the string
/// itself, the decimal of a <c>REG_DWORD</c>, or the JSON text of a native container (null when the app
/// cannot read it at all, e.g. <c>REG_EXPAND_SZ</c>). <see cref="Location"/> keeps file, line and scope.
/// </summary>
public sealed record ConfigEntry(string Key, string? Value, WireType WireType, SourceLocation Location);
