namespace Basalt.Emulator.Configuration;

/// <summary>Stable codes for problems in the emulator's identities file (docs and tests refer to them).</summary>
internal static class EmulatorDiagnosticCodes
{
    public const string FileUnreadable = "EMU1000";
    public const string YamlSyntax = "EMU1001";
    public const string UnknownKey = "EMU1002";
    public const string WrongType = "EMU1003";
    public const string MissingKey = "EMU1004";
    public const string InvalidValue = "EMU1005";
    public const string UnknownReference = "EMU1006";
    public const string Duplicate = "EMU1007";
    public const string InvalidAccessKey = "EMU1008";
}
