using System.Text;
using System.Text.Json;

namespace Basalt.Usage.Audit;

/// <summary>
/// The audit log (issue 10 item 8): one JSON object per line for every security and policy event — sign-in, key
/// created/revoked, budget changed, budget soft threshold, request refused, config reloaded, store outage — to a
/// file (0600, appended) or stdout. Callers pass ids and figures only: never prompt or completion text, never a
/// secret (API keys appear as their non-secret id). Lines are flushed as written so <c>tail -f</c> and log shippers
/// see them at once.
/// </summary>
public sealed class AuditLog : IDisposable
{
    private readonly TextWriter writer;
    private readonly bool ownsWriter;
    private readonly Lock gate = new();

    public AuditLog(TextWriter writer, bool ownsWriter = false)
    {
        this.writer = writer;
        this.ownsWriter = ownsWriter;
    }

    /// <summary>Appends to <paramref name="path"/> (created 0600), or stdout for <c>-</c>.</summary>
    public static AuditLog Open(string path)
    {
        if (path == "-")
        {
            return new AuditLog(Console.Out);
        }

        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new AuditLog(new StreamWriter(new FileStream(path, options), new UTF8Encoding(false)) { AutoFlush = true }, ownsWriter: true);
    }

    /// <summary>Writes one event: <c>{"time":..., "event":..., "user":..., ...fields}</c>.</summary>
    public void Write(string eventName, string? userId, params (string Name, object? Value)[] fields)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", DateTimeOffset.UtcNow);
            json.WriteString("event", eventName);
            if (userId is not null)
            {
                json.WriteString("user", userId);
            }

            foreach (var (name, value) in fields)
            {
                switch (value)
                {
                    case null:
                        json.WriteNull(name);
                        break;
                    case string s:
                        json.WriteString(name, s);
                        break;
                    case bool b:
                        json.WriteBoolean(name, b);
                        break;
                    case int i:
                        json.WriteNumber(name, i);
                        break;
                    case long l:
                        json.WriteNumber(name, l);
                        break;
                    case decimal d:
                        json.WriteNumber(name, d);
                        break;
                    case double f:
                        json.WriteNumber(name, f);
                        break;
                    case DateTimeOffset t:
                        json.WriteString(name, t);
                        break;
                    default:
                        json.WriteString(name, value.ToString());
                        break;
                }
            }

            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public void Dispose()
    {
        if (ownsWriter)
        {
            writer.Dispose();
        }
    }
}
