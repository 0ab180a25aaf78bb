namespace Basalt.ManagedConfig;

/// <summary>
/// URL rules (cowork3p-reference §11.5, §2.9, §5.2, §5.3 and seeds 000/001): https only with no <c>user:pass@</c>
/// for base URLs, origins for origin keys, and the version-dependent Bedrock base-URL rule.
/// </summary>
internal static class UrlRules
{
    public static bool Check(ValidationContext ctx, KeyDefinition def, string value)
        => def.Format == ValueFormat.BedrockBaseUrl ? BedrockBaseUrl(ctx, def, value) : Generic(ctx, def, value);

    private static bool Generic(ValidationContext ctx, KeyDefinition def, string value)
    {
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            ctx.Error(ConfigDiagnosticCodes.HttpsRequired, def.Name,
                $"'{def.Name}' must be an absolute {(def.Format == ValueFormat.AnyUrl ? "http(s)" : "https")} URL, got {ValueRules.Show(def, value)} with no scheme.",
                $"Write it as https://{value}.");
            return false;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            ctx.Error(ConfigDiagnosticCodes.InvalidUrl, def.Name,
                $"'{def.Name}' is not a valid http(s) URL: {ValueRules.Show(def, value)}.", "Write an absolute URL such as https://host.example.com/path.");
            return false;
        }

        if (!CheckCredentials(ctx, def, uri))
        {
            return false;
        }

        if (uri.Scheme == "http" && def.Format != ValueFormat.AnyUrl)
        {
            if (uri.IsLoopback && def.Name == "inferenceGatewayBaseUrl")
            {
                // §12: whether the app enforces https for loopback gateways is unconfirmed; third-party tests use it.
                ctx.Warning(ConfigDiagnosticCodes.HttpsRequired, def.Name,
                    $"'{def.Name}' is a plain http:// loopback URL; the docs require https:// and it is unconfirmed whether the app accepts loopback http.",
                    "Use https:// for anything but a local test.");
                return true;
            }

            ctx.Error(ConfigDiagnosticCodes.HttpsRequired, def.Name,
                $"'{def.Name}' must use https://, got http://{uri.Authority}.", $"Change the scheme to https:// (https://{uri.Authority}{uri.PathAndQuery}).");
            return false;
        }

        if (def.Format == ValueFormat.HttpsOrigin && (uri.AbsolutePath != "/" || uri.Query.Length > 0))
        {
            ctx.Warning(ConfigDiagnosticCodes.OriginHasPath, def.Name,
                $"'{def.Name}' is an origin (scheme, host, port); the path '{uri.PathAndQuery}' is not used.",
                $"Set it to {uri.Scheme}://{uri.Authority}.");
        }

        return true;
    }

    private static bool BedrockBaseUrl(ValidationContext ctx, KeyDefinition def, string value)
    {
        var mantle = ctx.Provider == InferenceProvider.Mantle;
        // Seed 000 (newer Bedrock page) and the Mantle page: a bare host is coerced to https:// and http:// is accepted
        // with a warning. Seed 001 (older Bedrock page): "Must be https://".
        var lenient = mantle || ctx.IsAtLeast(ValidationContext.BedrockPageRevision);
        ctx.AppliedRules.Add(lenient
            ? $"{def.Name}, {ctx.TargetText}{(mantle ? " (mantle)" : string.Empty)}: bare hostname coerced to https://, http:// accepted with a warning (seed 000 / Mantle page; Bedrock apps v{ValidationContext.BedrockPageRevision}+)."
            : $"{def.Name}, {ctx.TargetText}: must be https:// (seed 001, Bedrock apps before v{ValidationContext.BedrockPageRevision}).");

        var text = value;
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            if (!lenient)
            {
                ctx.Error(ConfigDiagnosticCodes.HttpsRequired, def.Name,
                    $"'{def.Name}' is a bare hostname ({ValueRules.Show(def, value)}); {ctx.TargetText} requires an https:// URL (older Bedrock page: \"Must be https://\").",
                    $"Write it as https://{value}.");
                return false;
            }

            ctx.Warning(ConfigDiagnosticCodes.BareHostCoerced, def.Name,
                $"'{def.Name}' is a bare hostname; the app coerces it to https://{value}.", $"Write https://{value} explicitly.");
            text = "https://" + value;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            ctx.Error(ConfigDiagnosticCodes.InvalidUrl, def.Name,
                $"'{def.Name}' is not a valid URL: {ValueRules.Show(def, value)}.",
                mantle ? "Use e.g. https://bedrock-mantle.us-east-1.api.aws/anthropic." : "Use e.g. https://vpce-0123-abcd.bedrock-runtime.us-west-2.vpce.amazonaws.com.");
            return false;
        }

        if (!CheckCredentials(ctx, def, uri))
        {
            return false;
        }

        if (uri.Scheme == "http")
        {
            if (!lenient)
            {
                ctx.Error(ConfigDiagnosticCodes.HttpsRequired, def.Name,
                    $"'{def.Name}' uses http://; {ctx.TargetText} requires https:// (older Bedrock page).", $"Use https://{uri.Authority}{uri.PathAndQuery}.");
                return false;
            }

            ctx.Warning(ConfigDiagnosticCodes.HttpAcceptedWithWarning, def.Name,
                $"'{def.Name}' uses plain http://; the app accepts it with a warning, and requests and credentials travel unencrypted.",
                $"Use https://{uri.Authority}{uri.PathAndQuery}.");
        }

        if (mantle && !uri.AbsolutePath.TrimEnd('/').EndsWith("/anthropic", StringComparison.Ordinal))
        {
            ctx.Warning(ConfigDiagnosticCodes.MantleBaseUrlPath, def.Name,
                $"For mantle, '{def.Name}' is the full SDK base URL including /anthropic; '{uri.AbsolutePath}' does not end with it.",
                $"Use {uri.Scheme}://{uri.Authority}/anthropic.");
        }

        return true;
    }

    private static bool CheckCredentials(ValidationContext ctx, KeyDefinition def, Uri uri)
    {
        if (uri.UserInfo.Length == 0)
        {
            return true;
        }

        // Never echo the user info: it is a credential.
        if (ctx.IsAtLeast(ValidationContext.UrlCredentialsRejected))
        {
            ctx.Error(ConfigDiagnosticCodes.UrlCredentials, def.Name,
                $"'{def.Name}' embeds credentials (user:password@{uri.Host}); from v1.32352.0 the app rejects such managed URLs.",
                "Remove the user:password@ part and use the provider's credential keys or a credential helper.");
            return false;
        }

        ctx.Warning(ConfigDiagnosticCodes.UrlCredentials, def.Name,
            $"'{def.Name}' embeds credentials (user:password@{uri.Host}); apps from v1.32352.0 reject it and the secret sits in plain text in the profile.",
            "Remove the user:password@ part.");
        return true;
    }
}
