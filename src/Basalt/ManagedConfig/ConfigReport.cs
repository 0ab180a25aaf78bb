using System.Globalization;
using System.Text;
using System.Text.Json;
using Basalt.Diagnostics;

namespace Basalt.ManagedConfig;

/// <summary>
/// What Claude Desktop's "Managed Configuration Report" shows (cowork3p-reference §10.1), and more: every key
/// read with its source (file:line, hive or domain), values that failed to parse, the provider, the winning
/// credential and why, every reason the app would stay out of third-party mode, and the diagnostics. Secrets
/// are redacted (<see cref="SecretRedactor"/>). Output order is deterministic.
/// </summary>
public sealed class ConfigReport
{
    private ConfigReport(ValidationResult result, IReadOnlyList<string> sources, IReadOnlyList<ReportedKey> keys)
    {
        Result = result;
        Sources = sources;
        Keys = keys;
    }

    public ValidationResult Result { get; }

    public IReadOnlyList<string> Sources { get; }

    /// <summary>Every value read, effective or ignored, sorted by key then location; values already redacted.</summary>
    public IReadOnlyList<ReportedKey> Keys { get; }

    public sealed record ReportedKey(string Key, string? Value, WireType WireType, SourceLocation Location, bool Effective, bool Known, bool Secret, bool ParseFailed, string? IgnoredReason);

    public static ConfigReport Create(ValidationResult result, IEnumerable<string>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var parseFailed = result.Diagnostics
            .Where(d => d.IsError && d.Key is not null && (d.Code.StartsWith("BSL11", StringComparison.Ordinal) || d.Code.StartsWith("BSL13", StringComparison.Ordinal)))
            .Select(d => d.Key!)
            .ToHashSet(StringComparer.Ordinal);
        var keys = result.EffectiveEntries.Select(e => Reported(e, effective: true, parseFailed.Contains(e.Key), null))
            .Concat(result.IgnoredEntries.Select(i => Reported(i.Entry, effective: false, parseFailed: false, i.Reason)))
            .OrderBy(k => k.Key, StringComparer.Ordinal)
            .ThenBy(k => k.Location.File, StringComparer.Ordinal)
            .ThenBy(k => k.Location.Line)
            .ThenBy(k => k.Location.Scope, StringComparer.Ordinal)
            .ToList();
        var src = (sources ?? result.Configuration.Entries.Select(e => e.Location.File)).Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).ToList();
        return new ConfigReport(result, src, keys);
    }

    private static ReportedKey Reported(ConfigEntry e, bool effective, bool parseFailed, string? reason)
        => new(e.Key, SecretRedactor.Redact(e.Key, e.Value), e.WireType, e.Location, effective, KeyCatalogue.Find(e.Key) is not null,
            SecretRedactor.IsSecretKey(e.Key), parseFailed, reason);

    public string ToText()
    {
        var r = Result;
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("Managed Configuration Report (basalt)");
        sb.AppendLine(inv, $"Sources:     {(Sources.Count == 0 ? "(none)" : string.Join(", ", Sources))}");
        sb.AppendLine(inv, $"Platform:    {PlatformName(r.Platform)}");
        sb.AppendLine(inv, $"Target app:  {(r.TargetAppVersion is { } v ? v.ToString() : "newest documented behaviour")}");
        sb.AppendLine(inv, $"Provider:    {r.Provider?.ToWire() ?? "(none)"}");
        sb.AppendLine(inv, $"3P mode:     {(r.EntersThirdPartyMode ? "yes — the app enters third-party inference mode" : "NO — the app stays on the claude.ai sign-in screen")}");
        foreach (var reason in r.NotThirdPartyReasons)
        {
            sb.AppendLine(inv, $"  - {reason}");
        }

        if (r.Credentials is { } c)
        {
            sb.AppendLine(inv, $"Credential:  {(c.Winner is null ? "(none resolves)" : c.Winner.ToString())}");
            sb.AppendLine(inv, $"  why: {c.Reason}");
            if (GatewaySignInExplanation.For(r) is { } signIn)
            {
                sb.AppendLine(inv, $"  sign-in: {signIn}");
            }
            foreach (var loser in c.Losers)
            {
                sb.AppendLine(inv, $"  not used: {loser}");
            }
        }

        if (r.AppliedRules.Count > 0)
        {
            sb.AppendLine("Rules applied:");
            foreach (var rule in r.AppliedRules)
            {
                sb.AppendLine(inv, $"  - {rule}");
            }
        }

        sb.AppendLine("Keys read:");
        if (Keys.Count == 0)
        {
            sb.AppendLine("  (none)");
        }

        var width = Keys.Count == 0 ? 0 : Math.Min(48, Keys.Max(k => k.Key.Length));
        foreach (var k in Keys)
        {
            var status = k.Effective ? (k.ParseFailed ? "FAILED TO PARSE" : "used") : $"ignored: {k.IgnoredReason}";
            sb.AppendLine(inv, $"  {k.Key.PadRight(width)}  {Display(k.Value)}");
            sb.AppendLine(inv, $"  {new string(' ', width)}  from {k.Location} ({WireName(k.WireType)}) — {status}");
        }

        var errors = r.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = r.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        var infos = r.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Info);
        sb.AppendLine(inv, $"Diagnostics: {errors} error(s), {warnings} warning(s), {infos} info");
        foreach (var d in r.Diagnostics)
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
            WriteJson(w);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public void WriteJson(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var r = Result;
        w.WriteStartObject();
        w.WriteNumber("reportVersion", 1);
        w.WriteStartArray("sources");
        foreach (var s in Sources)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        w.WriteString("platform", PlatformName(r.Platform));
        WriteNullable(w, "targetAppVersion", r.TargetAppVersion?.ToString());
        WriteNullable(w, "provider", r.Provider?.ToWire());

        w.WriteStartObject("thirdPartyMode");
        w.WriteBoolean("enters", r.EntersThirdPartyMode);
        w.WriteStartArray("reasons");
        foreach (var reason in r.NotThirdPartyReasons)
        {
            w.WriteStringValue(reason);
        }

        w.WriteEndArray();
        w.WriteEndObject();

        if (r.Credentials is { } c)
        {
            w.WriteStartObject("credential");
            if (c.Winner is { } win)
            {
                WriteSource(w, "source", win);
            }
            else
            {
                w.WriteNull("source");
            }

            WriteNullable(w, "kind", c.Kind);
            w.WriteBoolean("kindExplicit", c.KindIsExplicit);
            w.WriteString("reason", c.Reason);
            WriteNullable(w, "signIn", GatewaySignInExplanation.For(r));
            if (c.Rule is { } rule)
            {
                w.WriteStartObject("rule");
                w.WriteString("id", rule.Id);
                w.WriteString("appVersions", rule.VersionRange);
                w.WriteString("evidence", rule.Evidence);
                w.WriteStartArray("order");
                foreach (var id in rule.Order)
                {
                    w.WriteStringValue(id);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("rule");
            }

            w.WriteStartArray("notUsed");
            foreach (var loser in c.Losers)
            {
                WriteSource(w, null, loser);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("credential");
        }

        w.WriteStartArray("appliedRules");
        foreach (var rule in r.AppliedRules)
        {
            w.WriteStringValue(rule);
        }

        w.WriteEndArray();

        w.WriteStartArray("keys");
        foreach (var k in Keys)
        {
            w.WriteStartObject();
            w.WriteString("key", k.Key);
            WriteNullable(w, "value", k.Value);
            w.WriteString("wireType", WireName(k.WireType));
            w.WriteString("status", k.Effective ? "used" : "ignored");
            WriteNullable(w, "ignoredReason", k.IgnoredReason);
            w.WriteBoolean("known", k.Known);
            w.WriteBoolean("secret", k.Secret);
            w.WriteBoolean("parseFailed", k.ParseFailed);
            WriteLocation(w, k.Location);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartObject("summary");
        w.WriteNumber("errors", r.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
        w.WriteNumber("warnings", r.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning));
        w.WriteNumber("info", r.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Info));
        w.WriteEndObject();

        w.WriteStartArray("diagnostics");
        foreach (var d in r.Diagnostics)
        {
            WriteDiagnostic(w, d);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>One diagnostic as a JSON object (shared by lint and report).</summary>
    public static void WriteDiagnostic(Utf8JsonWriter w, Diagnostic d)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(d);
        w.WriteStartObject();
        w.WriteString("severity", d.Severity.ToString().ToLowerInvariant());
        w.WriteString("code", d.Code);
        WriteNullable(w, "key", d.Key);
        if (d.Location is { } loc)
        {
            WriteLocation(w, loc);
        }
        else
        {
            w.WriteNull("source");
        }

        w.WriteString("message", d.Message);
        WriteNullable(w, "fix", d.Fix);
        w.WriteEndObject();
    }

    private static void WriteSource(Utf8JsonWriter w, string? name, CredentialSource s)
    {
        if (name is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(name);
        }

        w.WriteString("id", s.Id);
        w.WriteString("kind", s.Kind);
        w.WriteString("name", s.DisplayName);
        w.WriteStartArray("keys");
        foreach (var k in s.Keys)
        {
            w.WriteStringValue(k);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteLocation(Utf8JsonWriter w, SourceLocation loc)
    {
        w.WriteStartObject("source");
        w.WriteString("file", loc.File);
        w.WriteNumber("line", loc.Line);
        w.WriteNumber("column", loc.Column);
        WriteNullable(w, "scope", loc.Scope);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static string Display(string? value) => value is null ? "(unreadable)" : value.Length > 160 ? value[..157] + "..." : value;

    internal static string PlatformName(ConfigPlatform p) => p switch
    {
        ConfigPlatform.MacOS => "macos",
        ConfigPlatform.Windows => "windows",
        ConfigPlatform.Linux => "linux",
        _ => "unknown",
    };

    internal static string WireName(WireType t) => t switch
    {
        WireType.String => "string",
        WireType.Boolean => "boolean",
        WireType.Number => "number",
        WireType.NativeArray => "array",
        WireType.NativeObject => "object",
        WireType.Null => "null",
        WireType.RegDword => "REG_DWORD",
        WireType.RegExpandSz => "REG_EXPAND_SZ",
        WireType.RegQword => "REG_QWORD",
        WireType.RegMultiSz => "REG_MULTI_SZ",
        WireType.RegBinary => "REG_BINARY",
        _ => "other",
    };
}
