using System.Text;
using Basalt.Deployment;
using Basalt.Deployment.Generation;
using Basalt.Deployment.Secrets;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;
using Basalt.Testing;
using Basalt.Testing.Hostile;
using Basalt.Tests.Deployment;
using Xunit.Abstractions;

namespace Basalt.Tests.Hostile;

/// <summary>
/// The standing hostile corpus (issue 14): grammar-aware mutations of every example deployment file and of every
/// managed-configuration format Basalt writes, each run within 2 s and 300 MB, each ending in either a valid result
/// or errors that carry a code, a message and a location; never an exception. The count and the worst time and
/// allocation are printed (run with <c>--logger "console;verbosity=detailed"</c> to see them).
/// </summary>
public sealed class HostileCorpusTests(ITestOutputHelper output)
{
    private const int CasesPerExample = 420;
    private const int CasesPerFormat = 300;
    private static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(2);
    private const long ByteBudget = 300L * 1024 * 1024;
    private static readonly string[] Secrets = [DeploymentTestInput.BedrockKey, DeploymentTestInput.GatewayKey, "EXAMPLE-hostile-secret-value", "EXAMPLE-pass"];

    [Fact]
    public void Mutated_deployment_files_give_a_valid_result_or_located_errors_within_budget()
    {
        using var dir = new TempDirectory("hostile-corpus");
        File.WriteAllText(dir.Combine("gateway-api-key.txt"), DeploymentTestInput.GatewayKey + "\n");
        var stats = new CorpusStats("deployment files", TimeBudget, ByteBudget);
        var mutator = new HostileMutator(seed: 14);
        var generator = new DeploymentGenerator(validation: new ValidationOptions { Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) });
        var examples = Directory.GetFiles(RepoPaths.Examples, "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.True(examples.Count >= 8);
        var number = 0;
        foreach (var example in examples)
        {
            var name = Path.GetFileName(example);
            foreach (var c in mutator.Generate(name, File.ReadAllBytes(example), HostileMutator.Grammar.Yaml, CasesPerExample, number))
            {
                stats.Run($"#{c.Number} {name} {c.Operators}", () =>
                {
                    var resolver = new SecretReferenceResolver(dir.Path, DeploymentTestInput.Environment.GetValueOrDefault);
                    var parsed = DeploymentFileParser.Parse(c.Content, "basalt.yaml", resolver);
                    Check(stats, c, parsed.Diagnostics);
                    if (parsed.Success)
                    {
                        var generated = generator.Generate(parsed.File!);
                        Check(stats, c, generated.Diagnostics);
                        foreach (var artifact in generated.Artifacts)
                        {
                            if (WrittenFileValidator.Validate(artifact.RelativePath, artifact.Content.Span) is { Count: > 0 } invalid)
                            {
                                stats.Fail($"#{c.Number}", $"generated {artifact.RelativePath} does not read back: {invalid[0].Message}");
                            }
                        }
                    }
                });
            }

            number += CasesPerExample;
        }

        Report(stats);
    }

    [Fact]
    public void Mutated_managed_configuration_sources_give_a_report_or_located_errors_within_budget()
    {
        using var dir = new TempDirectory("hostile-corpus");
        var seeds = ManagedConfigSeeds(dir);
        var stats = new CorpusStats("managed-config sources", TimeBudget, ByteBudget);
        var mutator = new HostileMutator(seed: 1414);
        var number = 0;
        foreach (var (name, content, format, grammar) in seeds)
        {
            foreach (var c in mutator.Generate(name, content, grammar, CasesPerFormat, number))
            {
                stats.Run($"#{c.Number} {name} {c.Operators}", () =>
                {
                    // Both the declared format and detection from the content, as 'config report' does for unknown extensions.
                    foreach (var f in new[] { (ConfigFormat?)format, ManagedConfigReader.Detect(c.Content) }.Distinct())
                    {
                        if (f is null)
                        {
                            continue;
                        }

                        var config = ManagedConfigReader.Read(c.Content, f.Value, name);
                        Check(stats, c, config.ParseDiagnostics);
                        var result = ConfigValidator.Validate(config, new ValidationOptions { Platform = config.Platform });
                        var report = ConfigReport.Create(result, [name]);
                        var text = report.ToText() + report.ToJson();
                        foreach (var secret in Secrets)
                        {
                            if (text.Contains(secret, StringComparison.Ordinal))
                            {
                                stats.Fail($"#{c.Number}", "a secret value appears in the report");
                            }
                        }
                    }
                });
            }

            number += CasesPerFormat;
        }

        Report(stats);
    }

    /// <summary>Every managed-config format Basalt writes, taken from the generated output of the richest example.</summary>
    private static List<(string Name, byte[] Content, ConfigFormat Format, HostileMutator.Grammar Grammar)> ManagedConfigSeeds(TempDirectory dir)
    {
        File.WriteAllText(dir.Combine("gateway-api-key.txt"), DeploymentTestInput.GatewayKey + "\n");
        var parsed = DeploymentFileParser.Load(Path.Combine(RepoPaths.Examples, "basalt.yaml"), DeploymentTestInput.Environment.GetValueOrDefault);
        Assert.True(parsed.Success, string.Join("\n", parsed.Diagnostics));
        var generated = new DeploymentGenerator().Generate(parsed.File!);
        Assert.True(generated.Success, string.Join("\n", generated.Diagnostics));
        var seeds = new List<(string, byte[], ConfigFormat, HostileMutator.Grammar)>();
        foreach (var artifact in generated.Artifacts)
        {
            var kind = Path.GetExtension(artifact.RelativePath) switch
            {
                ".mobileconfig" => (ConfigFormat.MobileConfig, HostileMutator.Grammar.Xml),
                ".reg" => (ConfigFormat.Reg, HostileMutator.Grammar.Reg),
                ".ps1" when artifact.RelativePath.EndsWith("install-policy.ps1", StringComparison.Ordinal) => (ConfigFormat.PowerShell, HostileMutator.Grammar.PowerShell),
                ".json" when artifact.RelativePath.EndsWith("managed-settings.json", StringComparison.Ordinal) => (ConfigFormat.LinuxJson, HostileMutator.Grammar.Json),
                _ => ((ConfigFormat, HostileMutator.Grammar)?)null,
            };
            if (kind is { } k && !seeds.Any(s => s.Item3 == k.Item1))
            {
                seeds.Add((artifact.RelativePath, artifact.Content.ToArray(), k.Item1, k.Item2));
            }
        }

        // A plain property list as the app's preference domain holds it.
        var values = new List<KeyValuePair<string, string>> { new("inferenceProvider", "gateway"), new("inferenceGatewayBaseUrl", "https://gw.example.com") };
        seeds.Add(("com.anthropic.claudefordesktop.plist", ManagedConfigWriter.Write(ConfigFormat.Plist, values), ConfigFormat.Plist, HostileMutator.Grammar.Xml));
        Assert.Equal(5, seeds.Count);
        return seeds;
    }

    private static void Check(CorpusStats stats, HostileMutator.Mutant c, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (string.IsNullOrEmpty(d.Code) || string.IsNullOrEmpty(d.Message))
            {
                stats.Fail($"#{c.Number}", $"a diagnostic without code or message: {d}");
            }

            if (d.IsError && d.Location is null)
            {
                stats.Fail($"#{c.Number}", $"an error without a location: {d}");
            }

            foreach (var secret in Secrets)
            {
                if (d.ToString().Contains(secret, StringComparison.Ordinal))
                {
                    stats.Fail($"#{c.Number}", $"a secret value appears in diagnostic {d.Code}");
                }
            }
        }
    }

    private void Report(CorpusStats stats)
    {
        output.WriteLine(stats.Summary());
        Console.WriteLine(stats.Summary());
        Assert.True(stats.Failures.Count == 0, stats.Summary() + "\n" + string.Join("\n", stats.Failures));
    }
}
