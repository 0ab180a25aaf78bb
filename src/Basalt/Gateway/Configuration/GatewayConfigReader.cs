using System.Security.Cryptography;
using System.Text;
using Basalt.Aws;
using Basalt.Deployment;
using Basalt.Deployment.Secrets;
using Basalt.Diagnostics.Reading;
using Basalt.Diagnostics;

namespace Basalt.Gateway.Configuration;

/// <summary>
/// Reads the gateway configuration: the <c>gateway:</c> section of a deployment file, or a file holding only that
/// section (issue 8 item 1). Uses the shared bounded YAML reader and the one typed <see cref="FieldReader"/>
/// (Diagnostics/Reading, within <see cref="InputLimits"/>), so every problem is a
/// one-line <c>file:line:column: error CODE [key]: message Fix: …</c> diagnostic, exactly as
/// <c>basalt deploy validate</c> prints them. Any error means no options (the gateway never starts half-configured).
/// </summary>
public static class GatewayConfigReader
{
    /// <summary>The model used in examples of messages: the client's default model of Basalt's catalogue.</summary>
    private static Basalt.Bedrock.Models.ModelDefinition ExampleModel => Basalt.Bedrock.Models.ModelCatalogue.Default.ClaudeCodeDefault!;

    private static readonly string[] SectionKeys = ["listen", "upstreams", "models", "groups", "apiKeys", "limits", "failover", "identity", "archive", "usage", "dashboard"];
    private static readonly string[] ListenKeys = ["url", "http2", "certificate", "key"];
    private static readonly string[] ModelKeys = ["aliases", "catalogue", "displayName", "routes", "betas", "fields"];
    private static readonly string[] RouteKeys = ["upstream", "model"];
    private static readonly string[] GroupKeys = ["models", "policy", "managedSettings"];
    private static readonly string[] LimitKeys = ["maxBodyBytes", "maxHeaderBytes", "requestTimeoutSeconds", "firstByteTimeoutSeconds", "maxConcurrentStreams", "drainTimeoutSeconds"];
    private static readonly string[] FailoverKeys = ["maxAttempts", "backoffBaseMs", "backoffMaxMs", "maxRetryAfterSeconds", "breakerThreshold", "breakerOpenSeconds"];

    /// <summary>Reads <paramref name="path"/>. Never throws for bad input: problems are in the result's diagnostics.</summary>
    public static GatewayConfigResult Load(string path, Func<string, string?>? environment = null)
    {
        // Read within the shared input limits: a regular file, at most InputLimits.MaxInputBytes, strict UTF-8.
        var limits = InputLimits.Default;
        var bytes = InputText.ReadFile(path, limits.MaxInputBytes, out var problem);
        if (bytes is null)
        {
            return new GatewayConfigResult(null, [problem == InputText.FileProblem.TooLarge
                ? InputText.TooLarge(path, new FileInfo(path).Length, limits)
                : new Diagnostic(DiagnosticSeverity.Error, GatewayDiagnosticCodes.FileUnreadable,
                    $"cannot read the gateway configuration: {(problem == InputText.FileProblem.NotFound ? "the file does not exist" : problem == InputText.FileProblem.NotRegularFile ? "it is not a regular file" : "the file cannot be read")}",
                    Location: new SourceLocation(path), Fix: "check the path given to --config and its permissions")]);
        }

        var diagnostics = new List<Diagnostic>();
        var text = InputText.Decode(bytes, path, limits, diagnostics);
        if (text is null)
        {
            return new GatewayConfigResult(null, diagnostics);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return Parse(text, path, new SecretReferenceResolver(directory, environment, limits));
    }

    public static GatewayConfigResult Parse(string text, string file, SecretReferenceResolver resolver)
    {
        var diagnostics = new List<Diagnostic>();
        var root = YamlInputReader.Read(text, file, DeploymentDiagnosticCodes.Input, InputLimits.Default, diagnostics);
        if (root is null)
        {
            return new GatewayConfigResult(null, diagnostics);
        }

        var context = new FieldReader(DeploymentDiagnosticCodes.Input, diagnostics, resolver);
        var section = root.Get("gateway") is { } embedded ? embedded : root;
        var prefix = ReferenceEquals(section, root) ? string.Empty : "gateway";
        var options = ReadSection(context, section, prefix, file);
        return new GatewayConfigResult(diagnostics.Any(d => d.IsError) ? null : options, diagnostics);
    }

    /// <summary>
    /// Reads a <c>gateway:</c> section already parsed by the bounded reader: what <see cref="Parse"/> does for a
    /// gateway file and what <c>basalt deploy validate</c> does for the <c>gateway:</c> key of a deployment file
    /// (one reader, one set of diagnostics). Null when the context holds an error.
    /// </summary>
    internal static GatewayOptions? ReadSection(FieldReader context, InputNode section, string prefix, string file)
    {
        if (section.Kind != InputNodeKind.Mapping)
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, section, prefix, $"expected a mapping, found {section.Describe()}", "write 'gateway:' followed by indented 'upstreams:', 'models:' … sections");
            return null;
        }

        var first = context.Diagnostics.Count;
        var errorsBefore = context.ErrorCount;
        context.CheckKeys(section, prefix, SectionKeys);

        var listeners = ReadListeners(context, section, prefix, file);
        var upstreams = GatewayUpstreamReader.ReadUpstreams(context, section, prefix);
        var models = ReadModels(context, section, prefix, upstreams);
        var groups = ReadGroups(context, section, prefix, models);
        var keys = GatewayApiKeyReader.ReadApiKeys(context, section, prefix, groups);
        var limits = ReadLimits(context, section, prefix);
        var failover = ReadFailover(context, section, prefix);
        var usage = GatewayUsageReader.Read(context, section, prefix, file);
        var identity = GatewayIdentityReader.Read(context, section, prefix, file, groups);
        var archive = GatewayPolicyReader.ReadArchive(context, section, prefix, groups.Values.Any(g => g.Policy.Archive));
        var dashboard = GatewayDashboardReader.Read(context, section, prefix, identity);

        if (context.ErrorCount > errorsBefore)
        {
            return null;
        }

        return new GatewayOptions
        {
            Listeners = listeners,
            Upstreams = upstreams,
            Models = models,
            Groups = groups,
            ApiKeys = keys,
            Limits = limits,
            Failover = failover,
            Usage = usage,
            Identity = identity,
            Archive = archive,
            Dashboard = dashboard,
            Source = file,
            Warnings = [.. context.Diagnostics.Skip(first)],
        };
    }

    /// <summary>The SHA-256 of an API key as kept in memory and written in <c>sha256:</c> (lower-case hex).</summary>
    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static List<GatewayListener> ReadListeners(FieldReader context, InputNode section, string prefix, string file)
    {
        var path = FieldReader.Join(prefix, "listen");
        var node = section.Get("listen");
        var result = new List<GatewayListener>();
        if (node is null || node.IsNull)
        {
            result.Add(new GatewayListener("127.0.0.1", 8080, Http2: true));
            return result;
        }

        var items = node.Kind == InputNodeKind.Sequence ? node.Items : [node];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemPath = node.Kind == InputNodeKind.Sequence ? $"{path}[{i}]" : path;
            if (item.Kind == InputNodeKind.Scalar)
            {
                if (ParseListenUrl(context, item, itemPath, item.Scalar ?? string.Empty, null, null, true, file) is { } plain)
                {
                    result.Add(plain);
                }

                continue;
            }

            if (item.Kind != InputNodeKind.Mapping)
            {
                context.Error(DeploymentDiagnosticCodes.WrongType, item, itemPath, $"expected a URL or a mapping, found {item.Describe()}", "write '- url: http://127.0.0.1:8080'");
                continue;
            }

            context.CheckKeys(item, itemPath, ListenKeys);
            var url = context.String(item, "url", itemPath, required: true, fix: "add 'url: http://127.0.0.1:8080'");
            var cert = context.String(item, "certificate", itemPath);
            var key = context.String(item, "key", itemPath);
            var http2 = context.Bool(item, "http2", itemPath) ?? true;
            if (url is not null && ParseListenUrl(context, item.Get("url")!, FieldReader.Join(itemPath, "url"), url.Value, cert, key, http2, file) is { } listener)
            {
                result.Add(listener);
            }
        }

        return result;
    }

    private static GatewayListener? ParseListenUrl(FieldReader context, InputNode node, string path, string text, FieldValue? cert, FieldValue? key, bool http2, string file)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
        {
            context.Error(GatewayDiagnosticCodes.BadListener, node, path, $"'{text}' is not a listen address; expected http://HOST:PORT or https://HOST:PORT", "write e.g. 'url: http://127.0.0.1:8080' (no path)");
            return null;
        }

        var https = uri.Scheme == "https";
        if (https != (cert is not null) || (cert is null) != (key is null))
        {
            context.Error(GatewayDiagnosticCodes.BadListener, node, path,
                https ? "an https listener needs 'certificate:' and 'key:' (PEM files)" : "'certificate:'/'key:' are only for https listeners",
                https ? "add 'certificate: server.crt' and 'key: server.key' next to 'url:'" : "use an https:// URL or remove certificate/key");
            return null;
        }

        string? certPath = null;
        string? keyPath = null;
        if (cert is not null && key is not null)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
            certPath = Path.GetFullPath(Path.Combine(directory, cert.Value));
            keyPath = Path.GetFullPath(Path.Combine(directory, key.Value));
            foreach (var (value, name) in new[] { (certPath, "certificate"), (keyPath, "key") })
            {
                if (!File.Exists(value))
                {
                    context.Error(GatewayDiagnosticCodes.TlsFileMissing, node, path, $"the TLS {name} file '{value}' does not exist", $"create the PEM {name} file or fix the path (relative paths start at the configuration's folder)");
                }
            }
        }

        return new GatewayListener(uri.Host, uri.Port, http2, certPath, keyPath);
    }

    private static List<GatewayModel> ReadModels(FieldReader context, InputNode section, string prefix, Dictionary<string, GatewayUpstream> upstreams)
    {
        var result = new List<GatewayModel>();
        var node = context.Mapping(section, "models", prefix, required: true, fix: $"add 'models:' with one entry per model, e.g. '{ExampleModel.ClientId}: {{ routes: [{{ upstream: us-east, model: {ExampleModel.ProfileId("us")} }}] }}'");
        if (node is null)
        {
            return result;
        }

        var path = FieldReader.Join(prefix, "models");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, id, value, modelPath) in context.NamedMappings(node, path, "write 'routes:' under the model id"))
        {
            context.CheckKeys(value, modelPath, ModelKeys);
            var aliases = context.StringList(value, "aliases", modelPath)?.Select(a => a.Value).ToList() ?? [];
            foreach (var name in aliases.Prepend(id))
            {
                if (!seen.TryAdd(name, id))
                {
                    context.Error(GatewayDiagnosticCodes.DuplicateModelId, keyNode, modelPath, $"'{name}' names both model '{seen[name]}' and model '{id}'", "give each model id and alias to one model only");
                }
            }

            var catalogue = context.String(value, "catalogue", modelPath)?.Value;
            var display = context.String(value, "displayName", modelPath)?.Value;
            var routes = new List<GatewayRoute>();
            var routesNode = value.Get("routes");
            var routesPath = FieldReader.Join(modelPath, "routes");
            if (routesNode is null || routesNode.Kind != InputNodeKind.Sequence || routesNode.Items.Count == 0)
            {
                context.Error(DeploymentDiagnosticCodes.MissingKey, routesNode ?? value, routesPath, "a model needs at least one route (upstream + Bedrock model id), in failover order", "add 'routes: [{ upstream: NAME, model: us.anthropic.… }]'");
            }
            else
            {
                for (var i = 0; i < routesNode.Items.Count; i++)
                {
                    var r = routesNode.Items[i];
                    var rPath = $"{routesPath}[{i}]";
                    if (r.Kind != InputNodeKind.Mapping)
                    {
                        context.Error(DeploymentDiagnosticCodes.WrongType, r, rPath, $"expected a mapping, found {r.Describe()}", "write '- { upstream: NAME, model: MODEL-ID }'");
                        continue;
                    }

                    context.CheckKeys(r, rPath, RouteKeys);
                    var upstream = context.String(r, "upstream", rPath, required: true);
                    var model = context.String(r, "model", rPath, required: true, fix: "add 'model: us.anthropic.…' (the Bedrock model or inference-profile id, or an ARN)");
                    if (upstream is not null && !upstreams.ContainsKey(upstream.Value) && section.Get("upstreams") is { Kind: InputNodeKind.Mapping } ups && ups.Get(upstream.Value) is null)
                    {
                        var suggestion = FieldReader.Suggest(upstream.Value, upstreams.Keys);
                        context.Error(GatewayDiagnosticCodes.UnknownUpstream, r.Get("upstream")!, FieldReader.Join(rPath, "upstream"),
                            $"there is no upstream '{upstream.Value}'; configured: {string.Join(", ", upstreams.Keys)}",
                            suggestion is null ? "add it under 'upstreams:' or use a configured name" : $"did you mean '{suggestion}'?");
                    }
                    else if (upstream is not null && model is not null)
                    {
                        routes.Add(new GatewayRoute(upstream.Value, model.Value));
                    }
                }
            }

            var betas = ReadRuleOverrides(context, value, "betas", modelPath);
            var fields = ReadRuleOverrides(context, value, "fields", modelPath);
            result.Add(new GatewayModel(id, aliases, catalogue, display, routes, betas, fields));
        }

        if (node.Entries.Count == 0)
        {
            context.Error(GatewayDiagnosticCodes.NoModels, node, path, "no models are configured, so the gateway could serve nothing", "add at least one model under 'models:'");
        }

        return result;
    }

    private static Dictionary<string, GatewayRuleOverride> ReadRuleOverrides(FieldReader context, InputNode model, string key, string modelPath)
    {
        var result = new Dictionary<string, GatewayRuleOverride>(StringComparer.Ordinal);
        var node = context.Mapping(model, key, modelPath);
        if (node is null)
        {
            return result;
        }

        var path = FieldReader.Join(modelPath, key);
        foreach (var (k, v) in node.Entries)
        {
            var name = k.Scalar ?? string.Empty;
            var text = v.Kind == InputNodeKind.Scalar ? v.Scalar ?? string.Empty : string.Empty;
            var action = text.StartsWith("map:", StringComparison.Ordinal) ? "map" : text;
            if (action is not ("pass" or "strip" or "reject" or "map") || action == "map" && text.Length <= 4)
            {
                context.Error(GatewayDiagnosticCodes.BadRule, v, FieldReader.Join(path, name), $"'{text}' is not a rule; expected pass, strip, reject or map:<other-name>", $"write '{name}: strip' (or pass, reject, map:NEW-NAME)");
                continue;
            }

            result[name] = new GatewayRuleOverride(name, action, action == "map" ? text[4..].Trim() : null);
        }

        return result;
    }

    private static Dictionary<string, GatewayGroup> ReadGroups(FieldReader context, InputNode section, string prefix, List<GatewayModel> models)
    {
        var result = new Dictionary<string, GatewayGroup>(StringComparer.Ordinal);
        var node = context.Mapping(section, "groups", prefix);
        if (node is null)
        {
            return result;
        }

        var path = FieldReader.Join(prefix, "groups");
        foreach (var (_, name, v, groupPath) in context.NamedMappings(node, path, "write 'models: [MODEL-ID, …]' (or [\"*\"]) under the group"))
        {
            context.CheckKeys(v, groupPath, GroupKeys);
            var list = context.StringList(v, "models", groupPath) ?? [];
            foreach (var item in list)
            {
                if (item.Value != "*" && !models.Any(m => m.Id == item.Value))
                {
                    var suggestion = FieldReader.Suggest(item.Value, models.Select(m => m.Id));
                    context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, GatewayDiagnosticCodes.UnknownGroupModel,
                        $"group '{name}' names model '{item.Value}', which is not configured under 'models:'", FieldReader.Join(groupPath, "models"), item.Location,
                        suggestion is null ? "use a model id from 'models:' or \"*\"" : $"did you mean '{suggestion}'?"));
                }
            }

            result[name] = new GatewayGroup(name, [.. list.Select(i => i.Value)])
            {
                Policy = GatewayPolicyReader.Read(context, v, groupPath, models),
                ManagedSettings = context.Mapping(v, "managedSettings", groupPath) is { } settings ? DeploymentJson.FromNode(context, settings, FieldReader.Join(groupPath, "managedSettings"))?.Value : null,
            };
        }

        return result;
    }

    private static GatewayLimits ReadLimits(FieldReader context, InputNode section, string prefix)
    {
        var defaults = new GatewayLimits();
        var node = context.Mapping(section, "limits", prefix);
        if (node is null)
        {
            return defaults;
        }

        var path = FieldReader.Join(prefix, "limits");
        context.CheckKeys(node, path, LimitKeys);
        return new GatewayLimits
        {
            MaxBodyBytes = context.Int(node, "maxBodyBytes", path, 1024, 25_000_000) ?? defaults.MaxBodyBytes,
            MaxHeaderBytes = context.Int(node, "maxHeaderBytes", path, 4096, 1024 * 1024) ?? defaults.MaxHeaderBytes,
            RequestTimeout = Seconds(context.Int(node, "requestTimeoutSeconds", path, 1, 86400)) ?? defaults.RequestTimeout,
            FirstByteTimeout = Seconds(context.Int(node, "firstByteTimeoutSeconds", path, 1, 3600)) ?? defaults.FirstByteTimeout,
            MaxConcurrentStreams = context.Int(node, "maxConcurrentStreams", path, 1, 1_000_000) ?? defaults.MaxConcurrentStreams,
            DrainTimeout = Seconds(context.Int(node, "drainTimeoutSeconds", path, 0, 3600)) ?? defaults.DrainTimeout,
        };
    }

    private static GatewayFailover ReadFailover(FieldReader context, InputNode section, string prefix)
    {
        var defaults = new GatewayFailover();
        var node = context.Mapping(section, "failover", prefix);
        if (node is null)
        {
            return defaults;
        }

        var path = FieldReader.Join(prefix, "failover");
        context.CheckKeys(node, path, FailoverKeys);
        return new GatewayFailover
        {
            MaxAttempts = context.Int(node, "maxAttempts", path, 1, 20) ?? defaults.MaxAttempts,
            BackoffBase = Millis(context.Int(node, "backoffBaseMs", path, 0, 60_000)) ?? defaults.BackoffBase,
            BackoffMax = Millis(context.Int(node, "backoffMaxMs", path, 0, 600_000)) ?? defaults.BackoffMax,
            MaxRetryAfter = Seconds(context.Int(node, "maxRetryAfterSeconds", path, 0, 3600)) ?? defaults.MaxRetryAfter,
            BreakerThreshold = context.Int(node, "breakerThreshold", path, 1, 1000) ?? defaults.BreakerThreshold,
            BreakerOpenDuration = Seconds(context.Int(node, "breakerOpenSeconds", path, 1, 86400)) ?? defaults.BreakerOpenDuration,
        };
    }

    private static TimeSpan? Seconds(int? value) => value is { } v ? TimeSpan.FromSeconds(v) : null;

    private static TimeSpan? Millis(int? value) => value is { } v ? TimeSpan.FromMilliseconds(v) : null;
}
