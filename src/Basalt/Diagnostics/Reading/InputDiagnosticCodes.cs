namespace Basalt.Diagnostics.Reading;

/// <summary>Diagnostic codes shared by every reader of outside input (BSL00xx), whatever the format.</summary>
public static class InputDiagnosticCodes
{
    /// <summary>An <see cref="InputLimits"/> bound was exceeded.</summary>
    public const string LimitExceeded = "BSL0001";

    /// <summary>The bytes are not valid UTF-8 (or another encoding the format requires).</summary>
    public const string InvalidEncoding = "BSL0002";

    /// <summary>A value holds a character the target format cannot carry (control characters, U+FFFE, unpaired surrogates).</summary>
    public const string UnrepresentableCharacter = "BSL0003";
}
