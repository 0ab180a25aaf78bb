using Basalt.Testing;
using YamlDotNet.RepresentationModel;

namespace Basalt.Cli.Tests.Deployment;

/// <summary>
/// <c>deploy/kubernetes/</c> (issue 11 item 2). No cluster here: <c>kubectl kustomize</c> renders the manifests
/// (<c>kubectl apply --dry-run=client</c> needs an API server for discovery even in client mode, so it cannot run),
/// and the rendered objects are checked for the deployment's invariants: several replicas, probes on
/// <c>/readyz</c>/<c>/healthz</c>, a termination grace beyond preStop + drain, non-root read-only containers,
/// secrets by reference only, PostgreSQL by a connection string from a Secret, a PDB and an HPA on the Deployment.
/// Every rendered object is also validated against the Kubernetes OpenAPI schemas (kubernetes-models, npm).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static async Task<Dictionary<string, YamlMappingNode>> RenderAsync()
    {
        var kubectl = ExternalTools.Require("kubectl", "apt-get install -y kubectl");
        var rendered = await ProcessRunner.RunAsync(kubectl, ["kustomize", Path.Combine(RepoPaths.Root, "deploy", "kubernetes")]);
        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        var stream = new YamlStream();
        stream.Load(new StringReader(rendered.Stdout));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToDictionary(d => Text(d, "kind"), StringComparer.Ordinal);
    }

    private static async Task<ProcessResult> ValidateAsync(string yaml) => await ExternalTools.RunNodeAsync("kubernetes/validate.mjs", [], stdin: yaml);

    [Fact]
    public async Task Every_rendered_object_is_valid_against_the_kubernetes_openapi_schemas_and_a_broken_one_is_named()
    {
        var kubectl = ExternalTools.Require("kubectl", "apt-get install -y kubectl");
        var rendered = await ProcessRunner.RunAsync(kubectl, ["kustomize", Path.Combine(RepoPaths.Root, "deploy", "kubernetes")]);
        Assert.True(rendered.ExitCode == 0, rendered.ToString());

        var valid = await ValidateAsync(rendered.Stdout);
        Assert.True(valid.ExitCode == 0, valid.ToString());
        var kinds = valid.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Namespace", "PodDisruptionBudget", "Service", "ServiceAccount"], kinds.Order(StringComparer.Ordinal));

        // The validator can fail: a string replica count and an HPA without its target are reported by name.
        var broken = rendered.Stdout.Replace("replicas: 3", "replicas: three", StringComparison.Ordinal).Replace("scaleTargetRef:", "scaleTarget:", StringComparison.Ordinal);
        var invalid = await ValidateAsync(broken);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("\"kind\":\"Deployment\",\"name\":\"basalt-gateway\",\"valid\":false,\"errors\":[\"/spec/replicas must be integer\"]", invalid.Stdout, StringComparison.Ordinal);
        Assert.Contains("/spec must have required property scaleTargetRef", invalid.Stdout, StringComparison.Ordinal);
    }

    private static YamlNode Get(YamlNode node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = int.TryParse(part, out var index) ? ((YamlSequenceNode)node).Children[index] : ((YamlMappingNode)node).Children[new YamlScalarNode(part)];
        }

        return node;
    }

    private static string Text(YamlNode node, string path) => ((YamlScalarNode)Get(node, path)).Value!;

    private static int Number(YamlNode node, string path) => int.Parse(Text(node, path), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Kustomize_renders_a_namespaced_deployment_service_pdb_hpa_and_config_map()
    {
        var objects = await RenderAsync();

        Assert.Equal(["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Namespace", "PodDisruptionBudget", "Service", "ServiceAccount"], objects.Keys.Order(StringComparer.Ordinal));
        Assert.All(objects.Where(o => o.Key != "Namespace"), o => Assert.Equal("basalt", Text(o.Value, "metadata.namespace")));
        Assert.DoesNotContain("Secret", objects.Keys);
        Assert.Equal("restricted", Text(objects["Namespace"], "metadata.labels", "pod-security.kubernetes.io/enforce"));
    }

    private static string Text(YamlNode node, string path, string key) => ((YamlScalarNode)((YamlMappingNode)Get(node, path)).Children[new YamlScalarNode(key)]).Value!;

    [Fact]
    public async Task The_deployment_runs_several_hardened_replicas_with_probes_and_a_grace_period_beyond_the_drain()
    {
        var objects = await RenderAsync();
        var deployment = objects["Deployment"];
        var pod = Get(deployment, "spec.template.spec");
        var container = Get(pod, "containers.0");

        Assert.True(Number(deployment, "spec.replicas") >= 2);
        Assert.Equal("0", Text(deployment, "spec.strategy.rollingUpdate.maxUnavailable"));
        Assert.Equal("/readyz", Text(container, "readinessProbe.httpGet.path"));
        Assert.Equal("/healthz", Text(container, "livenessProbe.httpGet.path"));
        Assert.Equal("true", Text(pod, "securityContext.runAsNonRoot"));
        Assert.True(Number(pod, "securityContext.runAsUser") > 0);
        Assert.Equal("RuntimeDefault", Text(pod, "securityContext.seccompProfile.type"));
        Assert.Equal("true", Text(container, "securityContext.readOnlyRootFilesystem"));
        Assert.Equal("false", Text(container, "securityContext.allowPrivilegeEscalation"));
        Assert.Equal("ALL", Text(container, "securityContext.capabilities.drop.0"));
        Assert.Equal("false", Text(pod, "automountServiceAccountToken"));

        // Grace = preStop + drain + time to flush usage, read from the ConfigMap's gateway.yaml.
        var config = Text(objects["ConfigMap"], "data", "gateway.yaml");
        var drain = int.Parse(System.Text.RegularExpressions.Regex.Match(config, @"drainTimeoutSeconds:\s*(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var preStop = Number(container, "lifecycle.preStop.sleep.seconds");
        Assert.True(Number(pod, "terminationGracePeriodSeconds") > preStop + drain);

        // The ConfigMap is the one the pod mounts (kustomize's hashed name), at the path the container reads.
        Assert.Equal(Text(objects["ConfigMap"], "metadata.name"), Text(pod, "volumes.0.configMap.name"));
        Assert.Contains("/etc/basalt/gateway.yaml", string.Join(' ', ((YamlSequenceNode)Get(container, "args")).Children.Select(c => ((YamlScalarNode)c).Value)), StringComparison.Ordinal);

        // Secrets by reference only: PostgreSQL's connection string from a Secret key, files from a Secret volume.
        Assert.Equal("basalt-gateway", Text(container, "env.2.valueFrom.secretKeyRef.name"));
        Assert.Contains("postgresql: ${env:" + Text(container, "env.2.name") + "}", config, StringComparison.Ordinal);
        Assert.All(((YamlSequenceNode)Get(container, "env")).Children.Cast<YamlMappingNode>(), e =>
        {
            var name = ((YamlScalarNode)e.Children[new YamlScalarNode("name")]).Value!;
            if (e.Children.ContainsKey(new YamlScalarNode("value")))
            {
                Assert.DoesNotMatch("(?i)key|secret|password|connection", name);
            }
        });
        Assert.Contains("${file:/run/secrets/basalt/", config, StringComparison.Ordinal);
        Assert.Contains(((YamlSequenceNode)Get(pod, "volumes")).Children, v => ((YamlMappingNode)v).Children.ContainsKey(new YamlScalarNode("secret")));
    }

    [Fact]
    public async Task The_pdb_and_hpa_target_the_deployment_and_the_service_its_pods()
    {
        var objects = await RenderAsync();
        var labels = (YamlMappingNode)Get(objects["Deployment"], "spec.template.metadata.labels");

        Assert.Equal("Deployment", Text(objects["HorizontalPodAutoscaler"], "spec.scaleTargetRef.kind"));
        Assert.Equal(Text(objects["Deployment"], "metadata.name"), Text(objects["HorizontalPodAutoscaler"], "spec.scaleTargetRef.name"));
        Assert.True(Number(objects["HorizontalPodAutoscaler"], "spec.minReplicas") >= 2);
        Assert.Equal("1", Text(objects["PodDisruptionBudget"], "spec.maxUnavailable"));
        foreach (var selector in new[] { Get(objects["PodDisruptionBudget"], "spec.selector.matchLabels"), Get(objects["Service"], "spec.selector") })
        {
            Assert.All(((YamlMappingNode)selector).Children, kv => Assert.Equal(((YamlScalarNode)kv.Value).Value, ((YamlScalarNode)labels.Children[kv.Key]).Value));
        }

        Assert.Equal("http", Text(objects["Service"], "spec.ports.0.targetPort"));
    }
}
