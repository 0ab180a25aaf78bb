using System.Text.Json;
using Basalt.Deployment;
using Basalt.Deployment.Secrets;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Routing;

namespace Basalt.Gateway.Deployment;

/// <summary>
/// Reads a deployment file's <c>gateway:</c> section together with the groups that use Basalt's own gateway
/// (<c>auth.gateway.basalt: true</c>, issue 8 item 9), so one file describes both the devices and the gateway they
/// reach. Each such group becomes a gateway group of the same name with the group's models (resolved to the
/// gateway's model ids the way the gateway resolves a request), unless the section defines that group itself.
/// Checked here, each with the deployment file's line: the section exists, every model of the group is served
/// (and allowed to a group the section defines), an IdP sign-in's issuer is one the gateway accepts with the
/// client id as audience, and <c>telemetry: true</c> does not fight an explicit <c>otlpEndpoint</c>. The result
/// is read by the gateway's one reader, <see cref="GatewayConfigReader"/>.
/// </summary>
internal static class GatewayDeploymentReader
{
    public static (GatewayOptions? Options, InputNode? Section) Read(FieldReader context, SecretReferenceResolver resolver, InputNode? section, IReadOnlyList<DeploymentGroup> groups, string file)
    {
        const string Prefix = "gateway";
        var basalt = groups.Where(g => g.Auth.Gateway?.IsBasalt == true).ToList();
        if (section is null || section.IsNull)
        {
            foreach (var group in basalt)
            {
                context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.GatewayNotConfigured,
                    $"group '{group.Name}' uses Basalt's own gateway ('basalt: true') but the file has no top-level 'gateway:' section to configure it",
                    "auth.gateway.basalt", group.Auth.Gateway!.Basalt,
                    "add a 'gateway:' section with 'upstreams:' and 'models:' (see examples/basalt-gateway.yaml), or remove 'basalt: true' to point devices at another gateway"));
            }

            return (null, null);
        }

        if (section.Kind != InputNodeKind.Mapping || basalt.Count == 0)
        {
            return (GatewayConfigReader.ReadSection(context, section, Prefix, file), section);
        }

        // A first, silent read with the new groups empty tells which models the gateway serves, so each group's
        // models can be resolved to gateway ids (the second read reports every problem of the section once).
        var defined = context.Mapping(section, "groups", Prefix) is { } groupsNode
            ? groupsNode.Entries.Select(e => e.Key.Scalar ?? string.Empty).ToHashSet(StringComparer.Ordinal)
            : [];
        var scratch = new FieldReader(DeploymentDiagnosticCodes.Input, [], resolver);
        var draft = GatewayConfigReader.ReadSection(scratch, WithGroups(section, basalt.Where(g => !defined.Contains(g.Name)).ToDictionary(g => g, _ => new List<InputNode>())), Prefix, file);
        var router = draft is null ? null : new ModelRouter(draft, basalt[0].ModelCatalogue);
        var added = new Dictionary<DeploymentGroup, List<InputNode>>();
        foreach (var group in basalt)
        {
            var ids = new List<InputNode>();
            foreach (var model in group.Models)
            {
                var routed = router?.Resolve(model.ResolvedId);
                if (router is not null && routed is null)
                {
                    context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.GatewayModelNotServed,
                        $"group '{group.Name}' offers model '{model.ResolvedId}', which Basalt's gateway does not serve (gateway.models: {string.Join(", ", draft!.Models.Select(m => m.Id))})",
                        $"models.{model.Alias}", model.Location,
                        $"add '{model.ResolvedId}' (or an alias of it) under 'gateway.models:' with a route, or offer one of the gateway's models"));
                    continue;
                }

                var id = routed?.Model.Id ?? model.ResolvedId;
                if (draft is not null && defined.Contains(group.Name) && draft.Groups.TryGetValue(group.Name, out var own) && !own.Allows(id))
                {
                    context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.ConflictingSettings,
                        $"group '{group.Name}' offers model '{model.ResolvedId}' but 'gateway.groups.{group.Name}.models' does not allow '{id}', so its devices would be refused",
                        $"models.{model.Alias}", model.Location,
                        $"add '{id}' to 'gateway.groups.{group.Name}.models', or remove the model from the group"));
                }

                ids.Add(InputNode.CreateScalar(id, isPlain: false, model.Location));
            }

            if (!defined.Contains(group.Name))
            {
                added[group] = ids;
            }

            CheckIssuer(context, group, draft);
            CheckAuthorizationServer(context, group, draft);
            if (group.Auth.Gateway!.Telemetry && group.Telemetry.FirstOrDefault(t => t.Key == "otlpEndpoint") is { } explicitEndpoint)
            {
                context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.ConflictingSettings,
                    $"group '{group.Name}' sends telemetry to the gateway ('auth.gateway.telemetry: true') and also to '{explicitEndpoint.WireValue}' (telemetry.otlpEndpoint)",
                    "telemetry.otlpEndpoint", explicitEndpoint.Location, "keep one: remove 'telemetry.otlpEndpoint' or 'auth.gateway.telemetry: true'"));
            }
        }

        var effective = WithGroups(section, added);
        return (GatewayConfigReader.ReadSection(context, effective, Prefix, file), effective);
    }

    /// <summary>An IdP sign-in reaches the gateway as that IdP's ID token (aud = client id) unless it asks for access tokens (§6.3).</summary>
    private static void CheckIssuer(FieldReader context, DeploymentGroup group, GatewayOptions? draft)
    {
        if (draft is null || group.Auth.Gateway!.OidcJson is not { } oidc)
        {
            return;
        }

        using var json = JsonDocument.Parse(oidc.Value);
        var root = json.RootElement;
        var issuer = root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()!.TrimEnd('/') : null;
        var clientId = root.TryGetProperty("clientId", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var accessTokens = root.TryGetProperty("bearerTokenType", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "access_token";
        if (issuer is null)
        {
            return;
        }

        var accepted = draft.Identity.Issuers.FirstOrDefault(x => string.Equals(x.Issuer.TrimEnd('/'), issuer, StringComparison.Ordinal));
        if (accepted is null)
        {
            context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.GatewayIssuerNotConfigured,
                $"group '{group.Name}' signs in at '{issuer}', but Basalt's gateway accepts no tokens from that issuer, so every request would get 401",
                "auth.gateway.oidc.issuer", oidc.Location,
                $"add '- {{ issuer: {issuer}, audiences: [{clientId ?? "CLIENT-ID"}] }}' under 'gateway.identity.oidc:' (with its group mapping)"));
        }
        else if (!accessTokens && clientId is not null && !accepted.Audiences.Contains(clientId, StringComparer.Ordinal))
        {
            context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.GatewayIssuerNotConfigured,
                $"group '{group.Name}' sends ID tokens for client '{clientId}', but the gateway's issuer '{issuer}' accepts audiences {string.Join(", ", accepted.Audiences)} only, so every request would get 401",
                "auth.gateway.oidc.clientId", oidc.Location,
                $"add '{clientId}' to that issuer's 'audiences:' under 'gateway.identity.oidc:'"));
        }
    }

    /// <summary>
    /// Claude Desktop finds the gateway's own authorization server at <c>&lt;inferenceGatewayBaseUrl&gt;/.well-known/
    /// oauth-authorization-server</c> (§6.3), whose <c>issuer</c> must be that URL (RFC 8414 §3.3): so the section needs
    /// <c>identity.oauth</c> with that issuer.
    /// </summary>
    private static void CheckAuthorizationServer(FieldReader context, DeploymentGroup group, GatewayOptions? draft)
    {
        var gateway = group.Auth.Gateway!;
        if (draft is null || !gateway.GatewaySignIn)
        {
            return;
        }

        var baseUrl = gateway.BaseUrl.Value.TrimEnd('/');
        var issuer = draft.Identity.OAuth is { } oauth ? (oauth.Issuer?.ToString() ?? draft.Listeners[0].ToString()).TrimEnd('/') : null;
        if (issuer != baseUrl)
        {
            context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.GatewayAuthorizationServerNotConfigured,
                issuer is null
                    ? $"group '{group.Name}' signs in to the gateway itself ('gatewaySignIn: true'), but the gateway is no authorization server (no 'gateway.identity.oauth')"
                    : $"group '{group.Name}' signs in to the gateway at {baseUrl}, but the gateway's authorization server calls itself '{issuer}', so the app's metadata check fails",
                "auth.gateway.gatewaySignIn", gateway.BaseUrl.Location,
                $"add 'oauth: {{ issuer: {baseUrl}, signIn: {{ issuer: IDP-ISSUER, clientId: GATEWAY-CLIENT-ID }} }}' under 'gateway.identity:'"));
        }
    }

    /// <summary>The section with a <c>groups:</c> entry per added group (<c>models: [ids]</c>), existing groups kept first.</summary>
    private static InputNode WithGroups(InputNode section, Dictionary<DeploymentGroup, List<InputNode>> added)
    {
        if (added.Count == 0)
        {
            return section;
        }

        var entries = added.Select(a => new KeyValuePair<InputNode, InputNode>(
            InputNode.CreateScalar(a.Key.Name, isPlain: true, a.Key.Location),
            InputNode.CreateMapping([new(InputNode.CreateScalar("models", isPlain: true, a.Key.Location), InputNode.CreateSequence(a.Value, a.Key.Location))], a.Key.Location))).ToList();
        var result = new List<KeyValuePair<InputNode, InputNode>>();
        var merged = false;
        foreach (var (key, value) in section.Entries)
        {
            if (key.Scalar == "groups" && (value.Kind == InputNodeKind.Mapping || value.IsNull))
            {
                result.Add(new(key, InputNode.CreateMapping([.. value.Kind == InputNodeKind.Mapping ? value.Entries : [], .. entries], value.Location)));
                merged = true;
            }
            else
            {
                result.Add(new(key, value));
            }
        }

        if (!merged)
        {
            result.Add(new(InputNode.CreateScalar("groups", isPlain: true, section.Location), InputNode.CreateMapping(entries, section.Location)));
        }

        return InputNode.CreateMapping(result, section.Location);
    }
}
