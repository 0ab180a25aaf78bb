using Basalt.Diagnostics;
using Basalt.Emulator.Bedrock;
using Basalt.Emulator.Configuration;
using Basalt.Emulator.Faults;
using Basalt.Emulator.Options;

namespace Basalt.Emulator;

/// <summary>
/// Everything the local AWS emulator serves: where it listens, its clock, and the identities (accounts, users,
/// permission sets, roles, keys) from one file. Build it in code, or with <see cref="Load"/> from YAML; a loaded
/// file reports problems in <see cref="Diagnostics"/> (with file:line) instead of throwing.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>The region the emulator claims to be (used in ARNs, token scopes and endpoint hints).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Loopback by default: the emulator holds secrets and accepts self-issued credentials.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port; read the chosen one from <see cref="EmulatorServer.BaseAddress"/>.</summary>
    public int Port { get; set; }

    /// <summary>
    /// The cleartext HTTP/2 (h2c, prior knowledge) listener serving the same services; 0 picks a free port. Read
    /// the chosen one from <see cref="EmulatorServer.Http2BaseAddress"/>.
    /// </summary>
    public int Http2Port { get; set; }

    /// <summary>The clock for every expiry decision; tests pass a <see cref="Time.ManualTimeProvider"/> to move time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public IList<AccountOptions> Accounts { get; } = [];

    public IList<UserOptions> Users { get; } = [];

    public IList<PermissionSetOptions> PermissionSets { get; } = [];

    public IList<RoleOptions> Roles { get; } = [];

    public IdentityCenterOptions IdentityCenter { get; set; } = new();

    /// <summary>The emulated Bedrock (models, replies, pacing): the file's <c>bedrock:</c> section.</summary>
    public BedrockEmulatorOptions Bedrock { get; set; } = BedrockEmulatorOptions.Default;

    /// <summary>Injected faults: the file's <c>faults:</c> section.</summary>
    public FaultOptions Faults { get; set; } = FaultOptions.None;

    /// <summary>The file the options were loaded from, if any.</summary>
    public string? SourceFile { get; set; }

    /// <summary>Problems found while loading; any error means the file must be fixed before the emulator starts.</summary>
    public IList<Diagnostic> Diagnostics { get; } = [];

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>Reads the YAML identities file at <paramref name="yamlPath"/>. Never throws for bad input.</summary>
    public static EmulatorOptions Load(string yamlPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(yamlPath);
        return EmulatorOptionsLoader.Load(yamlPath);
    }

    /// <summary>Parses YAML text; <paramref name="fileName"/> is used in diagnostics and to resolve relative paths.</summary>
    public static EmulatorOptions Parse(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return EmulatorOptionsLoader.Parse(yaml, fileName);
    }
}
