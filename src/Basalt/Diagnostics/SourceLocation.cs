namespace Basalt.Diagnostics;

/// <summary>
/// Where a value or a problem came from: the file, a 1-based line (0 when unknown) and column, and a scope
/// such as a registry hive (<c>HKLM</c>/<c>HKCU</c>), a preference domain, or a configLibrary entry id.
/// </summary>
public sealed record SourceLocation(string File, int Line = 0, int Column = 0, string? Scope = null)
{
    public override string ToString()
    {
        var where = Line > 0 ? (Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}") : File;
        return Scope is null ? where : $"{where} [{Scope}]";
    }
}
