using Basalt.Diagnostics;
using Basalt.ManagedConfig;

namespace Basalt.Tests.ManagedConfig;

/// <summary>Builds managed configurations in memory, one entry per line of a pretend file, for validator tests.</summary>
internal static class TestConfigs
{
    /// <summary>"Today" for these tests: after the 2026-10-07 deprecation cut-off.</summary>
    public static readonly DateTimeOffset Today = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset BeforeCutoff = new(2026, 9, 1, 12, 0, 0, TimeSpan.Zero);

    public const string BearerToken = "ABSKQmVkcm9ja0FQSUtleS1zZWNyZXQtdmFsdWUtMTIzNDU2Nzg5MA==";

    public static readonly (string Key, string? Value)[] BedrockConfig =
    [
        ("inferenceProvider", "bedrock"),
        ("inferenceBedrockRegion", "us-west-2"),
        ("inferenceCredentialKind", "static"),
        ("inferenceBedrockBearerToken", BearerToken),
        ("inferenceModels", "[\"us.anthropic.claude-sonnet-4-20250514-v1:0\"]"),
        ("deploymentOrganizationUuid", "3f0c3c5e-9d0a-4d7e-8b1c-2a9f4e6b7c10"),
    ];

    public static readonly (string Key, string? Value)[] GatewayConfig =
    [
        ("inferenceProvider", "gateway"),
        ("inferenceGatewayBaseUrl", "https://gw.example.com"),
        ("inferenceCredentialKind", "static"),
        ("inferenceGatewayApiKey", "sk-gateway-0123456789abcdef"),
    ];

    public static readonly (string Key, string? Value)[] VertexConfig =
    [
        ("inferenceProvider", "vertex"),
        ("inferenceVertexProjectId", "acme-claude"),
        ("inferenceVertexRegion", "us-east5"),
        ("inferenceCredentialKind", "vendor-profile"),
        ("inferenceVertexCredentialsFile", "/etc/claude/sa.json"),
        ("inferenceModels", "[\"claude-sonnet-4@20250514\"]"),
    ];

    public static readonly (string Key, string? Value)[] FoundryConfig =
    [
        ("inferenceProvider", "foundry"),
        ("inferenceFoundryResource", "acme-foundry"),
        ("inferenceCredentialKind", "static"),
        ("inferenceFoundryApiKey", "foundry-key-0123456789"),
        ("inferenceModels", "[\"claude-sonnet-4\"]"),
    ];

    public static readonly (string Key, string? Value)[] MantleConfig =
    [
        ("inferenceProvider", "mantle"),
        ("inferenceBedrockRegion", "us-east-1"),
        ("inferenceCredentialKind", "static"),
        ("inferenceBedrockBearerToken", BearerToken),
        ("inferenceModels", "[\"claude-sonnet-4-5\"]"),
    ];

    public static (string Key, string? Value)[] Base(string name) => name switch
    {
        "bedrock" => BedrockConfig,
        "gateway" => GatewayConfig,
        "vertex" => VertexConfig,
        "foundry" => FoundryConfig,
        "mantle" => MantleConfig,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>The base with overrides applied: a null value removes the key, a new key is appended.</summary>
    public static ManagedConfiguration With((string Key, string? Value)[] baseEntries, params (string Key, string? Value)[] overrides)
        => With(ConfigPlatform.Linux, baseEntries, overrides);

    public static ManagedConfiguration With(ConfigPlatform platform, (string Key, string? Value)[] baseEntries, params (string Key, string? Value)[] overrides)
    {
        var list = baseEntries.ToList();
        foreach (var (key, value) in overrides)
        {
            var i = list.FindIndex(e => e.Key == key);
            if (value is null)
            {
                if (i >= 0)
                {
                    list.RemoveAt(i);
                }
            }
            else if (i >= 0)
            {
                list[i] = (key, value);
            }
            else
            {
                list.Add((key, value));
            }
        }

        return Make(platform, "managed-settings.json", null, list.ToArray());
    }

    public static ManagedConfiguration Make(ConfigPlatform platform, string file, string? scope, params (string Key, string? Value)[] entries)
        => new(platform, entries.Where(e => e.Value is not null).Select((e, i) => new ConfigEntry(e.Key, e.Value, WireType.String, new SourceLocation(file, i + 1, 1, scope))).ToList(), []);

    public static ConfigEntry Entry(string key, string? value, WireType type = WireType.String, string file = "policy.reg", int line = 1, string? scope = null)
        => new(key, value, type, new SourceLocation(file, line, 0, scope));

    public static ValidationResult Validate(ManagedConfiguration config, string? app = null, DateTimeOffset? now = null)
        => ConfigValidator.Validate(config, new ValidationOptions
        {
            TargetAppVersion = app is null ? null : AppVersion.Parse(app),
            Now = now ?? Today,
        });

    public static IEnumerable<Diagnostic> WithCode(this ValidationResult result, string code) => result.Diagnostics.Where(d => d.Code == code);

    public static bool Has(this ValidationResult result, string code) => result.Diagnostics.Any(d => d.Code == code);

    public static string Dump(this ValidationResult result) => string.Join(Environment.NewLine, result.Diagnostics.Select(d => d.ToString()));
}
