namespace Basalt.Credentials.Settings;

/// <summary>Stable diagnostic codes for the credential helper's settings file (BSL42xx). Tests and docs refer to these.</summary>
public static class CredentialDiagnosticCodes
{
    /// <summary>The settings file cannot be read (missing, no permission).</summary>
    public const string Unreadable = "BSL4200";

    /// <summary>The file is not JSON, or not a JSON object.</summary>
    public const string NotJson = "BSL4201";

    /// <summary>No <c>version</c>, or one this helper does not read.</summary>
    public const string Version = "BSL4202";

    /// <summary>No <c>profiles</c> object, or an empty one.</summary>
    public const string NoProfiles = "BSL4203";

    /// <summary><c>defaultProfile</c> names no profile.</summary>
    public const string UnknownDefaultProfile = "BSL4204";

    /// <summary>A profile's <c>source</c> is not one of the sources.</summary>
    public const string UnknownSource = "BSL4205";

    /// <summary>A required field is missing.</summary>
    public const string MissingField = "BSL4206";

    /// <summary>A field has the wrong JSON type.</summary>
    public const string WrongType = "BSL4207";

    /// <summary>A field is unknown or not used by the profile's source (a warning).</summary>
    public const string UnknownField = "BSL4208";

    /// <summary>A field's value is invalid (region, URL, account id, lifetime, header).</summary>
    public const string InvalidValue = "BSL4209";
}
