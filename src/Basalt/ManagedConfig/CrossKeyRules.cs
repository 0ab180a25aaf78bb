namespace Basalt.ManagedConfig;

/// <summary>Rules that relate several keys (cowork3p-reference §11.7).</summary>
internal static class CrossKeyRules
{
    public static void Apply(ValidationContext ctx)
    {
        if (ctx.Has("inferenceMaxTokensPerWindow") && !ctx.Has("inferenceTokenWindowHours"))
        {
            ctx.Warning(ConfigDiagnosticCodes.TokenCapNeedsWindow, "inferenceMaxTokensPerWindow",
                "inferenceMaxTokensPerWindow has no effect unless inferenceTokenWindowHours is also set.",
                "Set inferenceTokenWindowHours (1–720, e.g. \"24\").");
        }

        if (ctx.IsAtLeast(ValidationContext.PricingNeedsEnabled) && ctx.Bool("inferenceModelPricingEnabled") != true)
        {
            foreach (var key in new[] { "inferenceModelPricing", "inferenceModelPricingMultiplier" })
            {
                if (ctx.Has(key))
                {
                    ctx.Warning(ConfigDiagnosticCodes.PricingNeedsEnabled, key,
                        $"'{key}' applies only while inferenceModelPricingEnabled is \"true\" (from v1.44121.1), which it is not.",
                        "Set inferenceModelPricingEnabled to \"true\", or remove the pricing keys.");
                }
            }
        }

        foreach (var key in new[] { "chatAdvancedFileAnalysisEnabled", "chatCodeExecutionEnabled" })
        {
            if (ctx.Bool(key) == true && ctx.Bool("chatTabEnabled") != true)
            {
                ctx.Warning(ConfigDiagnosticCodes.ChatFeatureNeedsChatTab, key,
                    $"'{key}' has no effect unless chatTabEnabled is \"true\" (the Chat tab is off by default).",
                    "Set chatTabEnabled to \"true\", or remove the key.");
            }
        }

        // Defaults: Cowork on, Code on, Chat off (§2.4).
        if (ctx.Bool("coworkTabEnabled") == false && ctx.Bool("isClaudeCodeForDesktopEnabled") == false && ctx.Bool("chatTabEnabled") != true)
        {
            ctx.Warning(ConfigDiagnosticCodes.AllTabsOff, "coworkTabEnabled",
                "Cowork, Code and Chat are all off; the app turns Cowork back on and shows a warning.",
                "Leave at least one of coworkTabEnabled, isClaudeCodeForDesktopEnabled, chatTabEnabled on.");
        }

        if (ctx.Bool("toolSearchEnabled") == true && ctx.Provider == InferenceProvider.Vertex)
        {
            ctx.Error(ConfigDiagnosticCodes.ToolSearchOnVertex, "toolSearchEnabled",
                "toolSearchEnabled sends experimental anthropic-beta headers and body fields that Vertex does not accept; do not enable it on Vertex.",
                "Remove toolSearchEnabled or set it to \"false\".");
        }

        if (ctx.Has("deploymentDisplaySubtitle") && !ctx.Has("deploymentDisplayName"))
        {
            ctx.Info(ConfigDiagnosticCodes.SubtitleWithoutName, "deploymentDisplaySubtitle",
                "deploymentDisplaySubtitle is shown only when deploymentDisplayName is set.", "Set deploymentDisplayName.");
        }
    }
}
