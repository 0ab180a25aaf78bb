namespace Basalt.Policy.Pii;

/// <summary>An organization's own pattern (an employee number, a project code name), with the action for it.</summary>
public sealed record PiiCustomPattern(string Name, string Pattern, PiiAction Action);
