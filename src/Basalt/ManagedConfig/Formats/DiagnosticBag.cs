using Basalt.Diagnostics;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Collects one source's problems. A garbage file would otherwise produce one diagnostic per line, so after
/// <see cref="Limit"/> the rest are summarized in a single <see cref="FormatDiagnosticCodes.TooManyProblems"/>.
/// </summary>
internal sealed class DiagnosticBag
{
    public const int Limit = 100;

    private readonly List<Diagnostic> _items = [];
    private int _suppressed;

    public DiagnosticBag(string source)
    {
        Source = source;
    }

    public string Source { get; }

    public bool HasErrors { get; private set; }

    public int Count => _items.Count;

    public void Add(Diagnostic diagnostic)
    {
        HasErrors |= diagnostic.IsError;
        if (_items.Count >= Limit)
        {
            _suppressed++;
            return;
        }

        _items.Add(diagnostic);
    }

    public void Error(string code, int line, string message, string fix, string? key = null, string? scope = null, int column = 0)
        => Add(new Diagnostic(DiagnosticSeverity.Error, code, message, key, new SourceLocation(Source, line, column, scope), fix));

    public void Warning(string code, int line, string message, string fix, string? key = null, string? scope = null, int column = 0)
        => Add(new Diagnostic(DiagnosticSeverity.Warning, code, message, key, new SourceLocation(Source, line, column, scope), fix));

    public void Info(string code, int line, string message, string? fix = null, string? key = null, string? scope = null)
        => Add(new Diagnostic(DiagnosticSeverity.Info, code, message, key, new SourceLocation(Source, line, 0, scope), fix));

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            Add(d);
        }
    }

    public IReadOnlyList<Diagnostic> ToList()
    {
        if (_suppressed == 0)
        {
            return _items.ToArray();
        }

        return
        [
            .. _items,
            new Diagnostic(
                HasErrors ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                FormatDiagnosticCodes.TooManyProblems,
                $"{_suppressed} more problem(s) not shown.",
                null,
                new SourceLocation(Source),
                "Fix the problems above and read the file again."),
        ];
    }
}
