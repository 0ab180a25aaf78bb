using Basalt.Testing;
using YamlDotNet.RepresentationModel;

namespace Basalt.Cli.Tests.Deployment;

/// <summary>
/// <c>deploy/container/</c> (issue 11 item 2). No container engine runs here (the docker CLI has no daemon and no
/// compose plugin), so the recipe is checked offline for what matters: a non-root numeric user, the single-file
/// binary as entrypoint, a HEALTHCHECK that the image can run (the binary itself; the base has no curl), SIGTERM with
/// a grace period beyond the drain, a read-only root file system with only the state volume and /tmp writable,
/// PostgreSQL healthy before the gateway starts, and secrets only as files.
/// </summary>
public sealed class ContainerRecipeTests
{
    private static string Folder => Path.Combine(RepoPaths.Root, "deploy", "container");

    private static YamlMappingNode Compose()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Folder, "compose.yaml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Map(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)];

    private static string Scalar(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)]).Value!;

    private static IEnumerable<string> Sequence(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlSequenceNode)value).Children.Select(c => ((YamlScalarNode)c).Value!) : [];

    [Fact]
    public void The_containerfile_runs_the_single_file_binary_as_a_non_root_user_with_a_healthcheck_it_can_run()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "Containerfile")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Matches(@"^USER [1-9]\d{3,}:[1-9]\d{3,}$", user);
        Assert.True(lines.IndexOf(user) < lines.FindIndex(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)), "USER comes before ENTRYPOINT");
        Assert.Contains("ENTRYPOINT [\"/opt/basalt/basalt\"]", lines);
        Assert.Contains("STOPSIGNAL SIGTERM", lines);
        var health = string.Join(' ', lines.SkipWhile(l => !l.StartsWith("HEALTHCHECK", StringComparison.Ordinal)).Take(2));
        Assert.Contains("CMD [\"/opt/basalt/basalt\", \"gateway\", \"doctor\", \"--url\", \"http://127.0.0.1:8080\", \"--health-only\"]", health, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("FROM ${BASE}", StringComparison.Ordinal));
        Assert.Contains("ARG BASE=mcr.microsoft.com/dotnet/runtime-deps:10.0", lines);
        // Nothing secret is baked into the image.
        Assert.DoesNotContain(lines, l => l.Contains("SECRET", StringComparison.OrdinalIgnoreCase) || l.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_compose_file_runs_the_gateway_read_only_after_a_healthy_postgresql_with_secrets_as_files()
    {
        var compose = Compose();
        var services = Map(compose, "services");
        var gateway = Map(services, "gateway");
        var postgres = Map(services, "postgres");

        Assert.Equal("true", Scalar(gateway, "read_only"));
        Assert.Matches(@"^[1-9]\d{3,}:[1-9]\d{3,}$", Scalar(gateway, "user"));
        Assert.Equal(["ALL"], Sequence(gateway, "cap_drop"));
        Assert.Contains("no-new-privileges:true", Sequence(gateway, "security_opt"));
        Assert.Equal("service_healthy", Scalar(Map(Map(gateway, "depends_on"), "postgres"), "condition"));
        Assert.Contains("pg_isready", string.Join(' ', Sequence(Map(postgres, "healthcheck"), "test")), StringComparison.Ordinal);
        Assert.Contains("--health-only", Sequence(Map(gateway, "healthcheck"), "test"));
        // Writable: the state volume and a tmpfs only; the configuration is mounted read-only.
        Assert.Contains(Sequence(gateway, "tmpfs"), t => t.StartsWith("/tmp", StringComparison.Ordinal));
        var volumes = Sequence(gateway, "volumes").ToList();
        Assert.Contains(volumes, v => v.EndsWith(":/etc/basalt/gateway.yaml:ro", StringComparison.Ordinal));
        Assert.Contains(volumes, v => v.EndsWith(":/var/lib/basalt", StringComparison.Ordinal));
        Assert.All(volumes.Where(v => !v.EndsWith(":ro", StringComparison.Ordinal)), v => Assert.EndsWith(":/var/lib/basalt", v, StringComparison.Ordinal));
        // The stop grace period exceeds the configuration's drain deadline.
        var drain = int.Parse(System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(Folder, "gateway.yaml")), @"drainTimeoutSeconds:\s*(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(int.Parse(Scalar(gateway, "stop_grace_period").TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture) > drain);
        Assert.Equal("SIGTERM", Scalar(gateway, "stop_signal"));

        // Secrets: every one a file, none inline; PostgreSQL's password by _FILE; no password-like environment value.
        foreach (var (name, secret) in Map(compose, "secrets").Children)
        {
            Assert.True(((YamlMappingNode)secret).Children.Keys.Select(k => ((YamlScalarNode)k).Value).SequenceEqual(["file"]), $"secret {name} must be a file reference");
        }

        foreach (var (_, service) in services.Children)
        {
            if (((YamlMappingNode)service).Children.TryGetValue(new YamlScalarNode("environment"), out var env))
            {
                foreach (var (key, value) in ((YamlMappingNode)env).Children)
                {
                    var k = ((YamlScalarNode)key).Value!;
                    if (k.Contains("PASSWORD", StringComparison.Ordinal) || k.Contains("SECRET", StringComparison.Ordinal) || k.Contains("KEY", StringComparison.Ordinal))
                    {
                        Assert.EndsWith("_FILE", k, StringComparison.Ordinal);
                        Assert.StartsWith("/run/secrets/", ((YamlScalarNode)value).Value, StringComparison.Ordinal);
                    }
                }
            }
        }

        // The gateway's own configuration reads its secrets from those files and keeps state in the volume.
        var config = File.ReadAllText(Path.Combine(Folder, "gateway.yaml"));
        Assert.Contains("postgresql: ${file:/run/secrets/usage-connection}", config, StringComparison.Ordinal);
        Assert.Contains("dataDir: /var/lib/basalt", config, StringComparison.Ordinal);
        Assert.All(Sequence(gateway, "secrets"), s => Assert.Contains($"/run/secrets/{s}", config, StringComparison.Ordinal));
    }
}
