namespace Basalt.Bedrock;

/// <summary>What a Bedrock model identifier names (cowork3p-reference §7.2).</summary>
public enum BedrockModelIdKind
{
    /// <summary>Not a Bedrock model identifier (e.g. a bare alias such as <c>sonnet</c>).</summary>
    Unknown = 0,

    /// <summary>A foundation-model ID such as <c>anthropic.claude-x-v1:0</c>.</summary>
    FoundationModel,

    /// <summary>A system (cross-region) inference profile ID such as <c>us.anthropic.claude-x-v1:0</c>.</summary>
    SystemInferenceProfile,

    /// <summary><c>arn:…:bedrock:region::foundation-model/…</c>.</summary>
    FoundationModelArn,

    /// <summary><c>arn:…:bedrock:region:account:inference-profile/us.anthropic…</c> (a system profile by ARN).</summary>
    SystemInferenceProfileArn,

    /// <summary><c>arn:…:bedrock:region:account:application-inference-profile/id</c>.</summary>
    ApplicationInferenceProfileArn,

    /// <summary><c>arn:…:bedrock:region:account:provisioned-model/id</c> (provisioned throughput).</summary>
    ProvisionedModelArn,

    /// <summary><c>arn:…:bedrock:region:account:custom-model/…</c> or <c>imported-model/…</c>.</summary>
    CustomModelArn,
}
