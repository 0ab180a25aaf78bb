using System.Text;

namespace Basalt.Policy.Pii;

/// <summary>
/// Filters the model's answer as it streams (issue 12 item 2): masks secrets the model writes and, when the policy
/// says so, puts the request's original values back in place of their placeholders. Text is held back only as long
/// as it could still be part of a secret or a placeholder — <see cref="LookBehindChars"/> characters plus the secret
/// the window's edge falls in (a PEM private key whose END line has not arrived: up to its bounded length) — so the
/// answer still streams.
/// </summary>
public sealed class PiiStreamFilter
{
    /// <summary>Longer than any token shape the secret detectors know (Anthropic keys ≤ 220 characters).</summary>
    public const int LookBehindChars = 256;

    private readonly PiiMaskingSession? _restore;
    private readonly PiiScanner? _secrets;
    private readonly StringBuilder _pending = new();

    public PiiStreamFilter(PiiMaskingSession? restore, PiiScanner? secrets)
    {
        _restore = restore;
        _secrets = secrets;
    }

    /// <summary>Secrets masked in the answer so far, by rule (for the audit event).</summary>
    public Dictionary<string, int> SecretsMasked { get; } = new(StringComparer.Ordinal);

    /// <summary>Characters held back right now (bounded; the tests and the benchmark read it).</summary>
    public int Pending => _pending.Length;

    /// <summary>Takes the next piece of the answer; returns what may be sent now (possibly empty).</summary>
    public string Push(string delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (_restore is null && _secrets is null)
        {
            return delta;
        }

        _pending.Append(delta);
        return Emit(final: false);
    }

    /// <summary>The end of the answer: everything still held back, filtered.</summary>
    public string Flush() => _pending.Length == 0 ? string.Empty : Emit(final: true);

    private string Emit(bool final)
    {
        var text = _pending.ToString();
        var matches = _secrets?.Scan(text) ?? [];
        var cut = final ? text.Length : Math.Max(0, text.Length - (_secrets is null ? 0 : LookBehindChars));
        foreach (var match in matches)
        {
            // A secret that reaches the held-back tail may still grow: hold it back whole.
            if (!final && match.Start < cut && match.End > cut)
            {
                cut = match.Start;
            }
        }

        if (!final && _restore is not null && _restore.LongestPlaceholder > 0)
        {
            // A placeholder cut in two would be missed: never cut after an unclosed '[' near the cut.
            var from = Math.Max(0, cut - _restore.LongestPlaceholder + 1);
            var open = text.LastIndexOf('[', Math.Max(0, cut - 1), cut - from);
            if (open >= 0 && text.IndexOf(']', open, cut - open) < 0)
            {
                cut = open;
            }
        }

        if (cut == 0)
        {
            return string.Empty;
        }

        var output = new StringBuilder(cut);
        var copied = 0;
        foreach (var match in matches)
        {
            if (match.End > cut)
            {
                break;
            }

            output.Append(text, copied, match.Start - copied);
            output.Append("[REDACTED_").Append(PiiMaskingSession.Token(match)).Append(']');
            SecretsMasked[match.Rule] = SecretsMasked.GetValueOrDefault(match.Rule) + 1;
            copied = match.End;
        }

        output.Append(text, copied, cut - copied);
        _pending.Remove(0, cut);
        var emitted = output.ToString();
        return _restore is null ? emitted : _restore.Restore(emitted);
    }
}
