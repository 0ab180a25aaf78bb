namespace Basalt.Emulator.Faults;

/// <summary>The faults the emulator can inject (docs/emulator.md, "Faults"); names are the header/YAML spelling.</summary>
internal enum FaultKind
{
    /// <summary><c>throttle</c>: 429 ThrottlingException, with <c>Retry-After</c> when <c>retry-after=</c> is given.</summary>
    Throttle,

    /// <summary><c>internal-error</c> (or <c>500</c>): 500 InternalServerException.</summary>
    InternalError,

    /// <summary><c>unavailable</c> (or <c>503</c>): 503 ServiceUnavailableException.</summary>
    Unavailable,

    /// <summary><c>expired-token</c>: 403 ExpiredTokenException, as for expired STS session credentials.</summary>
    ExpiredToken,

    /// <summary><c>model-not-ready</c>: 429 ModelNotReadyException (Bedrock only).</summary>
    ModelNotReady,

    /// <summary><c>model-timeout</c>: 408 ModelTimeoutException (Bedrock only).</summary>
    ModelTimeout,

    /// <summary><c>stream-exception</c>: an exception frame after <c>after=</c> data frames (<c>type=</c> picks the exception).</summary>
    StreamException,

    /// <summary><c>reset</c>: the connection is aborted (after <c>after=</c> frames on a stream, before any byte otherwise).</summary>
    Reset,

    /// <summary><c>slow-first-byte</c>: nothing is sent for <c>ms=</c> milliseconds, then the normal response.</summary>
    SlowFirstByte,

    /// <summary><c>stall</c>: after <c>after=</c> frames the stream goes silent for <c>ms=</c> (default: until the client leaves).</summary>
    Stall,
}
