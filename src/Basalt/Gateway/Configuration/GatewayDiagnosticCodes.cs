namespace Basalt.Gateway.Configuration;

/// <summary>
/// Stable diagnostic codes of the gateway configuration (BSL8xxx, issue 8). Generic YAML problems (syntax,
/// unknown key, wrong type, secrets) keep the deployment file's BSL70xx codes: it is the same reader.
/// </summary>
public static class GatewayDiagnosticCodes
{
    public const string FileUnreadable = "BSL8001";
    public const string NoModels = "BSL8010";
    public const string UnknownUpstream = "BSL8011";
    public const string DuplicateModelId = "BSL8012";
    public const string UnknownGroupModel = "BSL8013";
    public const string UnknownKeyGroup = "BSL8014";
    public const string DuplicateApiKey = "BSL8015";
    public const string BadApiKeyHash = "BSL8016";
    public const string BadListener = "BSL8020";
    public const string BadEndpoint = "BSL8021";
    public const string BadRegion = "BSL8022";
    public const string BadRoleArn = "BSL8023";
    public const string BadRule = "BSL8024";
    public const string TlsFileMissing = "BSL8025";

    // identity: (issue 9)
    public const string BadIssuer = "BSL8060";
    public const string DuplicateIssuer = "BSL8061";
    public const string UnknownIdentityGroup = "BSL8062";

    // policy: and archive: (issue 12)
    public const string BadPolicy = "BSL8090";
    public const string ArchiveMissing = "BSL8091";
    public const string BadArchiveKey = "BSL8092";

    // dashboard: (issue 11)
    public const string BadDashboard = "BSL8100";
    public const string UnknownDashboardIssuer = "BSL8101";
    public const string BadDashboardKey = "BSL8102";
}
