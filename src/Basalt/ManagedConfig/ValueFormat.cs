namespace Basalt.ManagedConfig;

/// <summary>Format rules beyond the value type (cowork3p-reference §11.5).</summary>
public enum ValueFormat
{
    None = 0,

    /// <summary><c>https://</c> URL without <c>user:pass@</c>.</summary>
    HttpsUrl,

    /// <summary>An <c>https://</c> origin (scheme + host + optional port, no path).</summary>
    HttpsOrigin,

    /// <summary>Bedrock/Mantle base URL: the rules depend on the app version (seed 000 vs 001).</summary>
    BedrockBaseUrl,

    /// <summary>Any URL; only the OTLP collector uses it (plain http collectors exist on private networks).</summary>
    AnyUrl,

    /// <summary><c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>.</summary>
    Uuid,

    /// <summary>An AWS region name, e.g. <c>us-west-2</c>.</summary>
    AwsRegion,

    /// <summary>Twelve digits.</summary>
    AwsAccountId,

    /// <summary><c>^[a-z0-9][a-z0-9.:-]*$</c> (v1.40609.0).</summary>
    VertexProjectId,

    /// <summary>2–64 characters of <c>[a-z0-9-]</c>.</summary>
    FoundryResource,

    /// <summary>An absolute path with no <c>~</c> or variable expansion.</summary>
    AbsolutePath,

    /// <summary>Header map (JSON object); legacy string and list forms are deprecated.</summary>
    HeaderMap,
}
