namespace Basalt.ManagedConfig;

/// <summary>
/// Stable codes of the managed-configuration validator (BSL1xxx; format/reader problems are BSL2xxx in
/// <c>Formats</c>). Tests, docs and users' suppressions refer to these numbers, so they never change meaning.
/// </summary>
public static class ConfigDiagnosticCodes
{
    // Keys (§11.1).
    public const string UnknownKey = "BSL1001";
    public const string KeyWrongCase = "BSL1002";
    public const string DeprecatedKey = "BSL1003";
    public const string RemovedKey = "BSL1004";
    public const string KeyNewerThanApp = "BSL1005";
    public const string DottedSubKey = "BSL1006";
    public const string StandardDeploymentKey = "BSL1007";
    public const string UnconfirmedKey = "BSL1008";
    public const string RenamedKeyBothSet = "BSL1010";

    // Types and values (§11.2–11.4).
    public const string InvalidBoolean = "BSL1101";
    public const string InvalidInteger = "BSL1102";
    public const string InvalidNumber = "BSL1103";
    public const string InvalidJson = "BSL1104";
    public const string WrongJsonShape = "BSL1105";
    public const string InvalidEnumValue = "BSL1106";
    public const string DeprecatedEnumValue = "BSL1107";
    public const string OutOfRange = "BSL1108";
    public const string TooLong = "BSL1109";
    public const string EmptyValue = "BSL1110";
    public const string EnumValueNewerThanApp = "BSL1111";
    public const string LegacyHeaderForm = "BSL1112";
    public const string NullValue = "BSL1113";

    // Wire types and source precedence (§1.1, §1.3).
    public const string RegExpandSz = "BSL1201";
    public const string InvisibleRegistryType = "BSL1202";
    public const string RegDwordForText = "BSL1203";
    public const string NativeContainer = "BSL1205";
    public const string HkcuShadowedByHklm = "BSL1206";
    public const string HivesMerged = "BSL1207";
    public const string SplitAcrossHives = "BSL1208";
    public const string LocalIgnored = "BSL1209";
    public const string UpdateKeysOnlyManaged = "BSL1210";
    public const string ManagedUnreadable = "BSL1211";
    public const string PerUserOverridesMachine = "BSL1212";
    public const string UnreadableWireType = "BSL1214";

    // Formats (§11.5).
    public const string InvalidUrl = "BSL1301";
    public const string HttpsRequired = "BSL1302";
    public const string UrlCredentials = "BSL1303";
    public const string HttpAcceptedWithWarning = "BSL1304";
    public const string BareHostCoerced = "BSL1305";
    public const string InvalidRegion = "BSL1306";
    public const string RegionPartition = "BSL1307";
    public const string InvalidAccountId = "BSL1308";
    public const string InvalidUuid = "BSL1309";
    public const string PlaceholderUuid = "BSL1310";
    public const string InvalidVertexProject = "BSL1311";
    public const string InvalidFoundryResource = "BSL1312";
    public const string NotAbsolutePath = "BSL1313";
    public const string IssuerWellKnown = "BSL1314";
    public const string OriginHasPath = "BSL1315";
    public const string MantleBaseUrlPath = "BSL1316";

    // Provider completeness (§5, §10.2).
    public const string ProviderMissing = "BSL1401";
    public const string ProviderUnknown = "BSL1402";
    public const string RequiredKeyMissing = "BSL1403";
    public const string KeyForOtherProvider = "BSL1404";

    // Credentials (§3).
    public const string NoCredential = "BSL1501";
    public const string MultipleCredentials = "BSL1502";
    public const string SsoPartial = "BSL1503";
    public const string KindNotValidForProvider = "BSL1504";
    public const string KindSourceMissing = "BSL1505";
    public const string VertexOAuthPairIncomplete = "BSL1506";
    public const string GatewayApiKeyEmpty = "BSL1507";
    public const string KindNotSet = "BSL1508";
    public const string ExternalIdpNeedsBaseUrl = "BSL1509";

    // Models (§7).
    public const string ModelsRequired = "BSL1601";
    public const string NotBedrockModelId = "BSL1602";
    public const string ArnWithoutLabel = "BSL1603";
    public const string ModelRegionMismatch = "BSL1604";
    public const string FoundationIdWithoutProfile = "BSL1605";
    public const string UnknownGeoPrefix = "BSL1606";
    public const string ModelEntryInvalid = "BSL1607";
    public const string Prefer1mWithoutSupports1m = "BSL1608";
    public const string UnknownFamilyTier = "BSL1609";
    public const string DuplicateModel = "BSL1610";
    public const string DiscoveryOffWithAlias = "BSL1611";
    public const string UnknownClaudeModel = "BSL1612";
    public const string RetiredModel = "BSL1613";
    public const string ModelNotOffered = "BSL1614";
    public const string OlderThanNewestModel = "BSL1615";

    // Cross-key and JSON-document rules (§11.3, §11.7).
    public const string TokenCapNeedsWindow = "BSL1701";
    public const string PricingNeedsEnabled = "BSL1702";
    public const string ChatFeatureNeedsChatTab = "BSL1703";
    public const string AllTabsOff = "BSL1704";
    public const string ToolSearchOnVertex = "BSL1705";
    public const string McpHeadersAndOauth = "BSL1706";
    public const string McpServerInvalid = "BSL1707";
    public const string McpDeprecatedForm = "BSL1708";
    public const string WorkspaceFolderVariable = "BSL1709";
    public const string BannerInvalid = "BSL1710";
    public const string OidcInvalid = "BSL1711";
    public const string ToolPolicyInvalid = "BSL1712";
    public const string OrgPluginRecordForm = "BSL1713";
    public const string EgressHostInvalid = "BSL1714";
    public const string SubtitleWithoutName = "BSL1715";
    public const string BrokerNeedsEntraIssuer = "BSL1716";
    public const string WorkspaceFolderInvalid = "BSL1718";
    public const string VertexInteractiveWithWorkforce = "BSL1719";
}
