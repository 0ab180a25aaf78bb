using Basalt.Emulator.Auth;
using Basalt.Emulator.Identity;
using Basalt.Emulator.Logging;

namespace Basalt.Emulator.Hosting;

/// <summary>
/// The shared state of one running emulator, handed to every service's endpoints (and registered as a
/// singleton in the host's services): options, identities, the clock, the authenticator and the request log.
/// </summary>
internal sealed class EmulatorContext
{
    public EmulatorContext(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Time = options.TimeProvider;
        Identities = new IdentityStore(options);
        Log = new RequestLog();
        Authenticator = new EmulatorAuthenticator(Identities, Log, Time);
    }

    public EmulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public IdentityStore Identities { get; }

    public RequestLog Log { get; }

    public EmulatorAuthenticator Authenticator { get; }

    /// <summary>The emulator's own base address, known once Kestrel has bound (used in device-flow verification URLs).</summary>
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1/");
}
