namespace Basalt.ManagedConfig;

/// <summary>
/// The documented type of a key. Every value is a string on the wire (cowork3p-reference §1.1); this says how
/// the app parses that string. The JSON kinds are one key holding a whole JSON document.
/// </summary>
public enum ConfigValueType
{
    /// <summary>Free text.</summary>
    String = 0,

    /// <summary><c>true</c>/<c>false</c> (also <c>1</c>/<c>0</c>, and a <c>REG_DWORD</c>).</summary>
    Boolean,

    /// <summary>Decimal integer.</summary>
    Integer,

    /// <summary>Decimal number, e.g. <c>1.2</c>.</summary>
    Number,

    /// <summary>One of <see cref="KeyDefinition.EnumValues"/>.</summary>
    Enum,

    /// <summary>An absolute URL (see <see cref="KeyDefinition.Format"/> for the scheme rules).</summary>
    Url,

    /// <summary>An absolute file-system path to a file or executable on the device.</summary>
    Path,

    /// <summary>JSON array of strings serialized into one string.</summary>
    StringArray,

    /// <summary>JSON array whose items are all from <see cref="KeyDefinition.EnumValues"/>.</summary>
    EnumArray,

    /// <summary>JSON object serialized into one string.</summary>
    Object,

    /// <summary>JSON array of objects serialized into one string.</summary>
    ObjectArray,

    /// <summary>JSON array whose items are strings or objects (e.g. <c>inferenceModels</c>, <c>allowedWorkspaceFolders</c>).</summary>
    StringOrObjectArray,
}
