using System.Globalization;
using System.Text;
using System.Text.Json;
using Basalt.Diagnostics;
using Basalt.Gateway.Configuration;
using Basalt.ManagedConfig;

namespace Basalt.Gateway.Doctor;

/// <summary>
/// The doctor's findings, printed like <c>basalt config report</c> (<see cref="ConfigReport"/>): a titled header,
/// one aligned line per check, then "Diagnostics: N error(s), N warning(s)" with one located diagnostic per
/// failure or warning (<see cref="Diagnostic"/> text, and <see cref="ConfigReport.WriteDiagnostic"/> in JSON).
/// </summary>
public sealed class DoctorReport(Uri target, DateTimeOffset at, IReadOnlyList<DoctorCheck> checks)
{
    public Uri Target { get; } = target;

    public DateTimeOffset At { get; } = at;

    public IReadOnlyList<DoctorCheck> Checks { get; } = checks;

    public bool Failed => Checks.Any(c => c.Status == DoctorStatus.Failed);

    public IReadOnlyList<Diagnostic> Diagnostics => [.. Checks.Where(c => c.Status is DoctorStatus.Failed or DoctorStatus.Warning).Select(c => new Diagnostic(
        c.Status == DoctorStatus.Failed ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        c.Status == DoctorStatus.Failed ? GatewayDiagnosticCodes.DoctorFailed : GatewayDiagnosticCodes.DoctorWarning,
        c.Detail, c.Name, Fix: c.Fix))];

    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("Gateway Doctor Report (basalt)");
        sb.AppendLine(inv, $"Target:      {Target}");
        sb.AppendLine(inv, $"Checked at:  {At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        sb.AppendLine(inv, $"Result:      {(Failed ? "FAILED" : "ok")} ({Checks.Count(c => c.Status == DoctorStatus.Ok)} ok, {Checks.Count(c => c.Status == DoctorStatus.Warning)} warning, {Checks.Count(c => c.Status == DoctorStatus.Failed)} failed, {Checks.Count(c => c.Status == DoctorStatus.Skipped)} skipped)");
        sb.AppendLine("Checks:");
        var width = Checks.Count == 0 ? 0 : Math.Min(48, Checks.Max(c => c.Name.Length));
        foreach (var c in Checks)
        {
            sb.AppendLine(inv, $"  {Label(c.Status),-7} {c.Name.PadRight(width)}  {c.Detail}");
        }

        var diagnostics = Diagnostics;
        sb.AppendLine(inv, $"Diagnostics: {diagnostics.Count(d => d.IsError)} error(s), {diagnostics.Count(d => !d.IsError)} warning(s), 0 info");
        foreach (var d in diagnostics)
        {
            sb.AppendLine(inv, $"  {d}");
        }

        return sb.ToString();
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("target", Target.ToString());
            w.WriteString("checkedAt", At);
            w.WriteBoolean("ok", !Failed);
            w.WriteStartArray("checks");
            foreach (var c in Checks)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("status", c.Status.ToString().ToLowerInvariant());
                w.WriteString("detail", c.Detail);
                if (c.Fix is not null)
                {
                    w.WriteString("fix", c.Fix);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("diagnostics");
            foreach (var d in Diagnostics)
            {
                ConfigReport.WriteDiagnostic(w, d);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Label(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Warning => "WARN",
        DoctorStatus.Failed => "FAIL",
        _ => "skip",
    };
}
