namespace Basalt.ManagedConfig;

/// <summary>
/// How a value was stored in its source. The app reads strings everywhere (cowork3p-reference §1.1); the other
/// kinds are kept so validation can say exactly why a value is ignored, converted or invisible.
/// </summary>
public enum WireType
{
    /// <summary>A plain string: plist <c>&lt;string&gt;</c>, JSON string, <c>REG_SZ</c>.</summary>
    String = 0,

    /// <summary>Native JSON/plist boolean (Linux JSON, plist <c>&lt;true/&gt;</c>).</summary>
    Boolean,

    /// <summary>Native JSON/plist number.</summary>
    Number,

    /// <summary>Native array (Linux JSON array, plist <c>&lt;array&gt;</c>); the value holds its JSON text.</summary>
    NativeArray,

    /// <summary>Native object (Linux JSON object, plist <c>&lt;dict&gt;</c>); the value holds its JSON text.</summary>
    NativeObject,

    /// <summary>JSON/plist null or an empty element.</summary>
    Null,

    /// <summary>Windows <c>REG_DWORD</c>, read by the app as its decimal value.</summary>
    RegDword,

    /// <summary>Windows <c>REG_EXPAND_SZ</c>: counts as machine policy being present but cannot be read.</summary>
    RegExpandSz,

    /// <summary>Windows <c>REG_QWORD</c>: invisible to the app.</summary>
    RegQword,

    /// <summary>Windows <c>REG_MULTI_SZ</c>: invisible to the app.</summary>
    RegMultiSz,

    /// <summary>Windows <c>REG_BINARY</c> or any other <c>hex(n)</c> type: invisible to the app.</summary>
    RegBinary,

    /// <summary>Plist <c>&lt;data&gt;</c> or <c>&lt;date&gt;</c>: not a readable string.</summary>
    Other,
}
