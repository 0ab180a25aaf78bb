using System.Globalization;

namespace Basalt.Emulator.Faults;

/// <summary>
/// One fault and its parameters, written <c>kind[; key=value]...</c> in the <c>x-basalt-fault</c> request header
/// and in <c>faults.rules[].fault</c>, e.g. <c>throttle; retry-after=2</c>,
/// <c>stream-exception; after=3; type=modelStreamErrorException</c>, <c>stall; after=2; ms=10000</c>.
/// </summary>
internal sealed record FaultSpec(FaultKind Kind)
{
    public const string HeaderName = "x-basalt-fault";

    /// <summary>Exception types a Bedrock stream may carry (bedrock-and-clients §1).</summary>
    public static readonly IReadOnlyList<string> StreamExceptionTypes =
    [
        "throttlingException", "modelStreamErrorException", "validationException", "internalServerException", "modelTimeoutException", "serviceUnavailableException",
    ];

    private static readonly Dictionary<string, FaultKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["throttle"] = FaultKind.Throttle,
        ["429"] = FaultKind.Throttle,
        ["internal-error"] = FaultKind.InternalError,
        ["500"] = FaultKind.InternalError,
        ["unavailable"] = FaultKind.Unavailable,
        ["503"] = FaultKind.Unavailable,
        ["expired-token"] = FaultKind.ExpiredToken,
        ["model-not-ready"] = FaultKind.ModelNotReady,
        ["model-timeout"] = FaultKind.ModelTimeout,
        ["stream-exception"] = FaultKind.StreamException,
        ["reset"] = FaultKind.Reset,
        ["slow-first-byte"] = FaultKind.SlowFirstByte,
        ["stall"] = FaultKind.Stall,
    };

    /// <summary>Seconds for a <c>Retry-After</c> header on throttling responses; none when null.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Data frames sent before a stream fault strikes (default 2: <c>message_start</c> and the first block start).</summary>
    public int AfterFrames { get; init; } = 2;

    /// <summary>The <c>:exception-type</c> of a stream exception frame.</summary>
    public string ExceptionType { get; init; } = "throttlingException";

    /// <summary>Delay for <c>slow-first-byte</c> (default 5 s) and <c>stall</c> (default: until the client disconnects).</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>True for faults that act on a stream's frames rather than on the whole response.</summary>
    public bool IsStreamFault => Kind is FaultKind.StreamException or FaultKind.Reset or FaultKind.Stall;

    public static bool TryParse(string? text, out FaultSpec? spec, out string? error)
    {
        spec = null;
        error = null;
        var parts = (text ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !Kinds.TryGetValue(parts[0], out var kind))
        {
            error = $"unknown fault '{(parts.Length == 0 ? string.Empty : parts[0])}'; use one of {string.Join(", ", Kinds.Keys.Where(k => !char.IsAsciiDigit(k[0])))}";
            return false;
        }

        var result = new FaultSpec(kind);
        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq].Trim();
            var value = eq < 0 ? string.Empty : part[(eq + 1)..].Trim();
            switch (key.ToLowerInvariant())
            {
                case "retry-after" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s <= 3600:
                    result = result with { RetryAfterSeconds = s };
                    break;
                case "after" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 1_000_000:
                    result = result with { AfterFrames = n };
                    break;
                case "ms" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 3_600_000:
                    result = result with { Delay = TimeSpan.FromMilliseconds(ms) };
                    break;
                case "type" when StreamExceptionTypes.Contains(value, StringComparer.Ordinal):
                    result = result with { ExceptionType = value };
                    break;
                default:
                    error = $"bad parameter '{part}' for fault '{parts[0]}'; expected retry-after=<seconds>, after=<frames>, ms=<milliseconds> or type=<{string.Join('|', StreamExceptionTypes)}>";
                    return false;
            }
        }

        spec = result;
        return true;
    }
}
