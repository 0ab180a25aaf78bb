using System.Globalization;
using System.Text;

namespace Basalt.Credentials.IdentityCenter;

/// <summary>
/// Writes JSON byte-for-byte as Python's <c>json.dumps</c> does with its defaults (<c>", "</c> and <c>": "</c>
/// separators, <c>ensure_ascii</c>). The AWS CLI names its client-registration cache file after the SHA-1 of such a
/// string, and writes its cache files this way; matching it exactly lets Basalt and <c>aws</c> share one file.
/// </summary>
internal sealed class PythonJson
{
    private readonly StringBuilder _builder = new();
    private bool _needsComma;

    public PythonJson BeginObject()
    {
        _builder.Append('{');
        _needsComma = false;
        return this;
    }

    public PythonJson EndObject()
    {
        _builder.Append('}');
        _needsComma = true;
        return this;
    }

    public PythonJson Property(string name, string? value)
    {
        Name(name);
        if (value is null)
        {
            _builder.Append("null");
        }
        else
        {
            AppendString(value);
        }

        return this;
    }

    public PythonJson Property(string name, IReadOnlyList<string>? values)
    {
        Name(name);
        if (values is null)
        {
            _builder.Append("null");
            return this;
        }

        _builder.Append('[');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                _builder.Append(", ");
            }

            AppendString(values[i]);
        }

        _builder.Append(']');
        return this;
    }

    public override string ToString() => _builder.ToString();

    private void Name(string name)
    {
        if (_needsComma)
        {
            _builder.Append(", ");
        }

        AppendString(name);
        _builder.Append(": ");
        _needsComma = true;
    }

    private void AppendString(string value)
    {
        _builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _builder.Append("\\\""); break;
                case '\\': _builder.Append("\\\\"); break;
                case '\n': _builder.Append("\\n"); break;
                case '\r': _builder.Append("\\r"); break;
                case '\t': _builder.Append("\\t"); break;
                case '\b': _builder.Append("\\b"); break;
                case '\f': _builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        // ensure_ascii: everything outside printable ASCII as \uXXXX (UTF-16 units, lower-case hex).
                        _builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _builder.Append(c);
                    }

                    break;
            }
        }

        _builder.Append('"');
    }
}
