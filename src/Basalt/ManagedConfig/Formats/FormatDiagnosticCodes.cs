namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Stable codes for problems in the FORMAT of a managed-configuration source (BSL2xxx). Whether a value is valid
/// for its key is the validator's business; these say the file itself cannot be read as intended.
/// </summary>
public static class FormatDiagnosticCodes
{
    /// <summary>The file or folder could not be read (missing, permissions).</summary>
    public const string IoError = "BSL2001";

    /// <summary>The input is larger than <see cref="ManagedConfigReader.MaxInputBytes"/>.</summary>
    public const string TooLarge = "BSL2002";

    /// <summary>The format could not be recognized from the extension or the content.</summary>
    public const string UnknownFormat = "BSL2003";

    /// <summary>A parser bug was caught and turned into a diagnostic instead of a crash; please report it.</summary>
    public const string InternalError = "BSL2004";

    /// <summary>More problems than are worth listing; the rest are suppressed.</summary>
    public const string TooManyProblems = "BSL2005";

    /// <summary>ADMX/ADML is schema only: it holds no values.</summary>
    public const string SchemaOnly = "BSL2006";

    /// <summary>The input is empty.</summary>
    public const string Empty = "BSL2007";

    /// <summary>JSON syntax error (the app parses the file with a strict JSON parser).</summary>
    public const string JsonSyntax = "BSL2010";

    /// <summary>The JSON document is not an object of keys.</summary>
    public const string JsonNotObject = "BSL2011";

    /// <summary>The same key appears twice in one JSON object; the last one wins.</summary>
    public const string JsonDuplicateKey = "BSL2012";

    /// <summary>The JSON file starts with a byte-order mark.</summary>
    public const string JsonByteOrderMark = "BSL2013";

    /// <summary>Keys are nested under a wrapper (<c>enterpriseConfig</c>, a domain name) where the app expects them at top level.</summary>
    public const string JsonWrongLevel = "BSL2014";

    /// <summary>The JSON file is not valid UTF-8.</summary>
    public const string JsonEncoding = "BSL2015";

    /// <summary>XML syntax error in a plist or profile.</summary>
    public const string XmlSyntax = "BSL2020";

    /// <summary>The XML is well formed but not a property list (unknown element, key without value...).</summary>
    public const string PlistStructure = "BSL2021";

    /// <summary>The plist's top level is not a dictionary of keys.</summary>
    public const string PlistNotDict = "BSL2022";

    /// <summary>The same key appears twice in one plist dictionary; the last one wins.</summary>
    public const string PlistDuplicateKey = "BSL2023";

    /// <summary>Keys sit in a nested dictionary at the wrong level and are never read.</summary>
    public const string PlistWrongLevel = "BSL2024";

    /// <summary>The configuration profile envelope is not the shape macOS installs.</summary>
    public const string ProfileStructure = "BSL2025";

    /// <summary>A payload targets a preference domain other than <c>com.anthropic.claudefordesktop</c>.</summary>
    public const string ProfileOtherDomain = "BSL2026";

    /// <summary>The profile carries no <c>com.anthropic.claudefordesktop</c> settings at all.</summary>
    public const string ProfileNoClaudePayload = "BSL2027";

    /// <summary>The binary plist is malformed.</summary>
    public const string BinaryPlist = "BSL2028";

    /// <summary>The signed profile (CMS) could not be unwrapped, or its signature was not checked.</summary>
    public const string SignedProfile = "BSL2029";

    /// <summary>A plist scalar element holds text of the wrong kind (e.g. <c>&lt;integer&gt;abc&lt;/integer&gt;</c>).</summary>
    public const string PlistBadScalar = "BSL2030";

    /// <summary>The <c>.reg</c> file is in an encoding regedit does not read (regedit writes UTF-16LE with a BOM).</summary>
    public const string RegEncoding = "BSL2040";

    /// <summary>The <c>Windows Registry Editor Version 5.00</c> header is missing.</summary>
    public const string RegHeader = "BSL2041";

    /// <summary>A line regedit cannot parse.</summary>
    public const string RegSyntax = "BSL2042";

    /// <summary>A value sits in a subkey of the policy key: subkeys are never read (§1.1, §1.4 ADMX pitfall).</summary>
    public const string RegSubkey = "BSL2043";

    /// <summary>A key outside <c>SOFTWARE\Policies\Claude</c>: the app never reads it.</summary>
    public const string RegOutsidePolicyKey = "BSL2044";

    /// <summary>The same value name twice in one hive (value names are case-insensitive); the last one wins.</summary>
    public const string RegDuplicateValue = "BSL2045";

    /// <summary>The unnamed default value (<c>@</c>) is set: not a key, but it marks machine policy as present.</summary>
    public const string RegDefaultValue = "BSL2046";

    /// <summary>A backslash in a string that is not <c>\\</c> or <c>\"</c>.</summary>
    public const string RegEscape = "BSL2047";

    /// <summary>A value line before any <c>[key]</c> line.</summary>
    public const string RegValueOutsideKey = "BSL2048";

    /// <summary>An unknown root key (not HKEY_LOCAL_MACHINE / HKEY_CURRENT_USER / HKEY_USERS).</summary>
    public const string RegUnknownHive = "BSL2049";

    /// <summary><c>_meta.json</c> of a configLibrary folder is missing or malformed.</summary>
    public const string LibraryMeta = "BSL2050";

    /// <summary>The applied configLibrary entry file is missing.</summary>
    public const string LibraryEntryMissing = "BSL2051";

    /// <summary>No configuration is applied in the configLibrary folder.</summary>
    public const string LibraryNothingApplied = "BSL2052";

    /// <summary>A configLibrary entry file exists that <c>_meta.json</c> does not list.</summary>
    public const string LibraryUnlistedEntry = "BSL2053";

    /// <summary>The PowerShell script was not written by Basalt (only Basalt's own scripts can be read back).</summary>
    public const string PowerShellUnrecognized = "BSL2060";

    /// <summary>A value cannot be represented in the requested output format.</summary>
    public const string NotRepresentable = "BSL2070";

    /// <summary>Two values with the same key (for registry outputs: differing only in case) in one export.</summary>
    public const string DuplicateExportKey = "BSL2071";

    /// <summary>A file Basalt generated does not read back cleanly with Basalt's own reader; it is not written.</summary>
    public const string GeneratedFileInvalid = "BSL2072";
}
