namespace Basalt.ManagedConfig;

/// <summary>
/// Resolves the credential exactly as the app would (cowork3p-reference §3): an explicit
/// <c>inferenceCredentialKind</c> selects one source with no fallback; otherwise the first present source in the
/// provider's order for the target app version wins (<see cref="CredentialPrecedence"/>).
/// </summary>
internal static class CredentialResolver
{
    public static CredentialResolution Resolve(ValidationContext ctx, InferenceProvider provider)
    {
        CheckPartialSources(ctx, provider);
        var present = CredentialSources.For(provider).Where(s => IsPresent(ctx, provider, s)).ToList();
        var kind = ctx.Value("inferenceCredentialKind");
        return kind is not null ? Explicit(ctx, provider, kind, present) : Derived(ctx, provider, present);
    }

    /// <summary>A source counts as configured only when every key it needs is set (e.g. all four SSO keys).</summary>
    private static bool IsPresent(ValidationContext ctx, InferenceProvider provider, CredentialSource source) => source.Id switch
    {
        "vertex-workforce" => ctx.Has("inferenceVertexWorkforceAudience"),
        // The helper is not invoked for Vertex by older apps (§4 Scope [CONFLICT]).
        "helper" when provider == InferenceProvider.Vertex => ctx.Has("inferenceCredentialHelper") && ctx.IsAtLeast(CredentialPrecedence.VertexRevision),
        _ => source.Keys.All(ctx.Has),
    };

    private static void CheckPartialSources(ValidationContext ctx, InferenceProvider provider)
    {
        var explicitKind = ctx.Value("inferenceCredentialKind");
        if (provider == InferenceProvider.Bedrock)
        {
            var set = KeyCatalogue.BedrockSsoKeys.Where(ctx.IsPresent).ToList();
            var missing = KeyCatalogue.BedrockSsoKeys.Where(k => !ctx.IsPresent(k)).ToList();
            var unusable = KeyCatalogue.BedrockSsoKeys.Where(k => ctx.IsPresent(k) && !ctx.Has(k)).ToList();
            if (set.Count > 0 && missing.Count == 0 && unusable.Count > 0)
            {
                ctx.Report(explicitKind == "interactive" ? Diagnostics.DiagnosticSeverity.Error : Diagnostics.DiagnosticSeverity.Warning,
                    ConfigDiagnosticCodes.SsoPartial, unusable[0],
                    $"In-app AWS sign-in needs all four inferenceBedrockSso* keys with valid values; {string.Join(", ", unusable)} {(unusable.Count == 1 ? "is" : "are")} empty or invalid, so the app cannot use in-app sign-in.",
                    $"Correct {string.Join(", ", unusable)}.");
            }

            if (set.Count > 0 && missing.Count > 0)
            {
                // Newest page: partial set with kind interactive is an invalid configuration naming the missing keys;
                // otherwise the app falls back to whatever other credential is configured (§8 "Partial configuration").
                var interactive = explicitKind == "interactive";
                ctx.Report(interactive ? Diagnostics.DiagnosticSeverity.Error : Diagnostics.DiagnosticSeverity.Warning,
                    ConfigDiagnosticCodes.SsoPartial, set[0],
                    $"In-app AWS sign-in needs all four inferenceBedrockSso* keys; {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing{(interactive ? " and inferenceCredentialKind is \"interactive\", so the configuration is invalid" : ", so the app ignores the SSO keys and falls back to any other credential")}.",
                    $"Set {string.Join(", ", missing)}, or remove the other SSO keys.");
            }
        }

        if (provider == InferenceProvider.Vertex && ctx.Has("inferenceVertexOAuthClientId") != ctx.Has("inferenceVertexOAuthClientSecret"))
        {
            var has = ctx.Has("inferenceVertexOAuthClientId") ? "inferenceVertexOAuthClientId" : "inferenceVertexOAuthClientSecret";
            var lacks = has == "inferenceVertexOAuthClientId" ? "inferenceVertexOAuthClientSecret" : "inferenceVertexOAuthClientId";
            ctx.Warning(ConfigDiagnosticCodes.VertexOAuthPairIncomplete, has,
                $"Google sign-in needs both OAuth keys; '{lacks}' is missing, so the app logs a warning and falls back to application default credentials.",
                $"Set '{lacks}' (the Desktop-app OAuth client), or remove '{has}'.");
        }

        if (provider == InferenceProvider.Vertex && ctx.Has("inferenceVertexWorkforceAudience") && !ctx.Has("inferenceVertexWorkforceOidc"))
        {
            ctx.Error(ConfigDiagnosticCodes.KindSourceMissing, "inferenceVertexWorkforceAudience",
                "Workforce Identity Federation needs 'inferenceVertexWorkforceOidc' (the IdP to sign in with) besides the audience.",
                "Set inferenceVertexWorkforceOidc to {\"clientId\":\"...\",\"issuer\":\"https://idp.example.com\"}.");
        }

        if (provider == InferenceProvider.Gateway && ctx.IsPresent("inferenceGatewayApiKey") && !ctx.Has("inferenceGatewayApiKey"))
        {
            ctx.Error(ConfigDiagnosticCodes.GatewayApiKeyEmpty, "inferenceGatewayApiKey",
                "'inferenceGatewayApiKey' is empty, which the app does not allow.",
                "Put the gateway key there; a gateway that trusts network identity still needs a placeholder string.");
        }
    }

    private static CredentialResolution Explicit(ValidationContext ctx, InferenceProvider provider, string kind, List<CredentialSource> present)
    {
        if (!CredentialSources.KindsFor(provider).Contains(kind))
        {
            ctx.Error(ConfigDiagnosticCodes.KindNotValidForProvider, "inferenceCredentialKind",
                $"inferenceCredentialKind \"{kind}\" is not a credential kind for provider \"{provider.ToWire()}\" (valid: {string.Join(", ", CredentialSources.KindsFor(provider).Where(k => k != "oauth"))}).",
                "Pick a kind this provider supports, or remove the key to let the app derive it.");
            ctx.Block($"inferenceCredentialKind \"{kind}\" is not valid for provider \"{provider.ToWire()}\", so no credential resolves.");
            return new CredentialResolution(provider, null, kind, true, null, present, $"inferenceCredentialKind \"{kind}\" is not valid for {provider.ToWire()}");
        }

        if (provider == InferenceProvider.Vertex && kind is "interactive" or "oauth" && ctx.Has("inferenceVertexWorkforceAudience"))
        {
            // §2.10: interactive together with a workforce audience means workforce.
            ctx.Report(ctx.CutoffPassed ? Diagnostics.DiagnosticSeverity.Error : Diagnostics.DiagnosticSeverity.Warning,
                ConfigDiagnosticCodes.VertexInteractiveWithWorkforce, "inferenceCredentialKind",
                $"inferenceCredentialKind \"{kind}\" with inferenceVertexWorkforceAudience is the deprecated way to select Workforce Identity Federation ({ctx.CutoffText}).",
                "Set inferenceCredentialKind to \"workforce\".");
            if (!ctx.CutoffPassed)
            {
                kind = "workforce";
            }
        }

        var candidate = SourceForKind(ctx, provider, kind);
        var reason = $"inferenceCredentialKind is \"{kind}\": only {candidate?.DisplayName ?? "that source"} is used, with no fallback (§3.1).";
        if (candidate is null || (candidate.Keys.Count > 0 && !IsPresent(ctx, provider, candidate)))
        {
            var keys = candidate is null ? "its keys" : string.Join(", ", candidate.Keys.Where(k => !ctx.Has(k)));
            ctx.Error(ConfigDiagnosticCodes.KindSourceMissing, "inferenceCredentialKind",
                $"inferenceCredentialKind is \"{kind}\" but {keys} {(candidate?.Keys.Count(k => !ctx.Has(k)) == 1 ? "is" : "are")} not set or not valid; the app uses no other source (no fallback), so no credential resolves{(present.Count > 0 ? $" even though {string.Join(", ", present.Select(p => p.DisplayName))} is configured" : string.Empty)}.",
                present.Count > 0 ? $"Set inferenceCredentialKind to \"{present[0].Kind}\", or set {keys}." : $"Set {keys}.");
            ctx.Block($"inferenceCredentialKind \"{kind}\" selects {candidate?.DisplayName ?? kind}, whose keys are missing; there is no fallback.");
            return new CredentialResolution(provider, null, kind, true, null, present, reason);
        }

        var losers = present.Where(p => p != candidate).ToList();
        if (losers.Count > 0)
        {
            ctx.Info(ConfigDiagnosticCodes.MultipleCredentials, "inferenceCredentialKind",
                $"inferenceCredentialKind \"{kind}\" selects {candidate.DisplayName}; the other configured source(s) ({string.Join(", ", losers.Select(l => l.DisplayName))}) are not used.",
                $"Remove {string.Join(", ", losers.SelectMany(l => l.Keys))} to keep the profile unambiguous.");
        }

        if (candidate.Id == "bedrock-idp" && !ctx.Has("inferenceBedrockBaseUrl"))
        {
            ExternalIdpNeedsBaseUrl(ctx);
        }

        return new CredentialResolution(provider, candidate, kind, true, null, losers, reason);
    }

    private static CredentialResolution Derived(ValidationContext ctx, InferenceProvider provider, List<CredentialSource> present)
    {
        var rule = CredentialPrecedence.RuleFor(provider, ctx.Target);
        ctx.AppliedRules.Add($"Credential precedence for {provider.ToWire()}, {ctx.TargetText}: rule '{rule.Id}' ({rule.VersionRange}) — {rule.Evidence}.");
        var ordered = rule.Order.Select(id => present.FirstOrDefault(p => p.Id == id)).OfType<CredentialSource>().ToList();

        // Sources present but not in this version's order (e.g. SSO keys on an app that predates them) are not used.
        foreach (var p in present.Where(p => !rule.Order.Contains(p.Id)))
        {
            ctx.Warning(ConfigDiagnosticCodes.MultipleCredentials, p.Keys.Count > 0 ? p.Keys[0] : null,
                $"{p.DisplayName} is configured but {ctx.TargetText} does not use it (precedence rule '{rule.Id}': {rule.Evidence}).",
                "Remove it, or target a newer app version.");
        }

        if (ordered.Count == 0)
        {
            return Implicit(ctx, provider, rule);
        }

        var winner = ordered[0];
        var losers = ordered.Skip(1).ToList();
        var reason = $"inferenceCredentialKind is unset; {winner.DisplayName} is the first configured source in the order {Order(rule)} (rule '{rule.Id}', {rule.VersionRange}).";
        if (losers.Count > 0)
        {
            var alternatives = CredentialPrecedence.Rules
                .Where(r => r.Provider == provider && r != rule)
                .Select(r => (Rule: r, Winner: r.Order.Select(id => present.FirstOrDefault(p => p.Id == id)).OfType<CredentialSource>().FirstOrDefault()))
                .Where(x => x.Winner is not null && x.Winner != winner)
                .Select(x => $"{x.Winner!.DisplayName} under rule '{x.Rule.Id}' ({x.Rule.VersionRange})")
                .ToList();
            ctx.Warning(ConfigDiagnosticCodes.MultipleCredentials, winner.Keys.Count > 0 ? winner.Keys[0] : null,
                $"Several credential sources are configured ({string.Join(", ", ordered.Select(o => o.DisplayName))}); with inferenceCredentialKind unset, {ctx.TargetText} uses {winner.DisplayName} (rule '{rule.Id}': {Order(rule)}).{(alternatives.Count > 0 ? $" Other app versions pick differently: {string.Join("; ", alternatives)}." : string.Empty)}",
                $"Keep exactly one source: set inferenceCredentialKind to \"{winner.Kind}\" and remove {string.Join(", ", losers.SelectMany(l => l.Keys))}.");
        }
        else
        {
            ctx.Info(ConfigDiagnosticCodes.KindNotSet, "inferenceProvider",
                $"inferenceCredentialKind is unset; the app derives \"{winner.Kind}\" from {string.Join(", ", winner.Keys)}.",
                $"Set inferenceCredentialKind to \"{winner.Kind}\" explicitly so a later key cannot change the choice (§11.8).");
        }

        if (winner.Id == "bedrock-idp" && !ctx.Has("inferenceBedrockBaseUrl"))
        {
            ExternalIdpNeedsBaseUrl(ctx);
        }

        return new CredentialResolution(provider, winner, winner.Kind, false, rule, losers, reason);
    }

    private static CredentialResolution Implicit(ValidationContext ctx, InferenceProvider provider, CredentialPrecedenceRule rule)
    {
        CredentialSource? implicitSource = provider switch
        {
            InferenceProvider.Vertex => CredentialSources.VertexAdc,
            InferenceProvider.Anthropic => CredentialSources.AnthropicBrowserSignIn,
            // The deprecated auth scheme "sso" selected the gateway's own authorization server.
            InferenceProvider.Gateway when ctx.Value("inferenceGatewayAuthScheme") == "sso" => CredentialSources.GatewayAuthorizationServer,
            _ => null,
        };

        if (implicitSource is not null)
        {
            return new CredentialResolution(provider, implicitSource, implicitSource.Kind, false, rule, [],
                $"No credential keys are set; {provider.ToWire()} falls back to {implicitSource.DisplayName}.");
        }

        var keys = string.Join(", ", CredentialSources.For(provider).Where(s => s.Id != "helper").SelectMany(s => s.Keys).Append("inferenceCredentialHelper"));
        ctx.Error(ConfigDiagnosticCodes.NoCredential, "inferenceProvider",
            $"no credential configured for provider \"{provider.ToWire()}\": set inferenceCredentialKind or one of the credential fields ({keys}).",
            CredentialFix(provider));
        ctx.Block($"No credential is configured for provider \"{provider.ToWire()}\" (§10.2 cause 4).");
        return new CredentialResolution(provider, null, null, false, rule, [], "No credential source is configured.");
    }

    private static CredentialSource? SourceForKind(ValidationContext ctx, InferenceProvider provider, string kind) => (provider, kind) switch
    {
        (_, "helper-script") => CredentialSources.Helper,
        (InferenceProvider.Bedrock, "static") or (InferenceProvider.Mantle, "static") => CredentialSources.BedrockBearerToken,
        (InferenceProvider.Bedrock, "interactive") => CredentialSources.BedrockAwsSignIn,
        (InferenceProvider.Bedrock, "vendor-profile") => CredentialSources.BedrockProfile,
        (InferenceProvider.Bedrock, "external-idp") => CredentialSources.BedrockIdentityProvider,
        (InferenceProvider.Gateway, "static") => CredentialSources.GatewayApiKey,
        // §3.2: interactive with inferenceGatewayOidc is external-IdP SSO; without it the gateway is the authorization server.
        (InferenceProvider.Gateway, "interactive") => ctx.IsPresent("inferenceGatewayOidc") ? CredentialSources.GatewayOidc : CredentialSources.GatewayAuthorizationServer,
        (InferenceProvider.Foundry, "static") => CredentialSources.FoundryApiKey,
        (InferenceProvider.Foundry, "interactive") => CredentialSources.FoundryEntra,
        (InferenceProvider.Vertex, "interactive" or "oauth") => CredentialSources.VertexGoogleSignIn,
        (InferenceProvider.Vertex, "workforce") => CredentialSources.VertexWorkforce,
        // vendor-profile forces the credentials file over OAuth keys; without a file the standard ADC search applies.
        (InferenceProvider.Vertex, "vendor-profile") => ctx.Has("inferenceVertexCredentialsFile") ? CredentialSources.VertexCredentialsFile : CredentialSources.VertexAdc,
        (InferenceProvider.Anthropic, "static") => CredentialSources.AnthropicApiKey,
        (InferenceProvider.Anthropic, "interactive") => CredentialSources.AnthropicBrowserSignIn,
        _ => null,
    };

    private static void ExternalIdpNeedsBaseUrl(ValidationContext ctx)
    {
        ctx.Error(ConfigDiagnosticCodes.ExternalIdpNeedsBaseUrl, "inferenceIdpOidc",
            "Identity-provider sign-in (external-idp) sends the user's OIDC token to inferenceBedrockBaseUrl, which is not set.",
            "Set inferenceBedrockBaseUrl to the authenticating proxy in front of Bedrock.");
        ctx.Block("external-idp needs inferenceBedrockBaseUrl (§5.2).");
    }

    private static string Order(CredentialPrecedenceRule rule)
        => string.Join(" → ", rule.Order.Select(id => CredentialSources.ById(id)?.DisplayName ?? id));

    private static string CredentialFix(InferenceProvider provider) => provider switch
    {
        InferenceProvider.Bedrock => "Set inferenceBedrockBearerToken, inferenceBedrockProfile, the four inferenceBedrockSso* keys, or inferenceCredentialHelper, and set inferenceCredentialKind to match.",
        InferenceProvider.Mantle => "Set inferenceBedrockBearerToken or inferenceCredentialHelper.",
        InferenceProvider.Gateway => "Set inferenceGatewayApiKey, inferenceGatewayOidc with inferenceCredentialKind \"interactive\", or inferenceCredentialHelper.",
        InferenceProvider.Foundry => "Set inferenceFoundryApiKey, inferenceFoundryTenantId + inferenceFoundryClientId, or inferenceCredentialHelper.",
        _ => "Set one of the provider's credential keys.",
    };
}
