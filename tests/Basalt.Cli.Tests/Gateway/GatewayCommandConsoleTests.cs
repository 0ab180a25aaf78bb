using Basalt.Testing;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// <c>basalt gateway</c> writes to the invocation's console (issue 13: CLI commands take an injected console), so
/// its diagnostics can be captured in-process like every other command's.
/// </summary>
public sealed class GatewayCommandConsoleTests
{
    [Fact]
    public async Task Check_with_a_broken_configuration_writes_its_diagnostics_to_the_invocation_error_writer()
    {
        using var dir = new TempDirectory("gw-console");
        var path = dir.Write("gw.yaml", """
            gateway:
              listen: [ "http://127.0.0.1:0" ]
              upstreams:
                east: { region: us-east-1 }
              models:
                claude-sonnet-4-5:
                  routes: [ { upstream: eastt, model: us.anthropic.claude-sonnet-4-5-20250929-v1:0 } ]
            """);

        var result = await InProcessCli.RunAsync(["gateway", "check", "--config", path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error BSL8011", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("the gateway configuration has errors", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Check_prints_each_groups_content_policy_in_the_words_of_the_configuration_and_never_the_archive_key()
    {
        using var dir = new TempDirectory("gw-check-policy");
        var key = Basalt.Policy.Archive.ArchiveKey.Generate().ToBase64();
        dir.Write("archive.key", key);
        var path = dir.Write("gw.yaml", """
            gateway:
              listen: [ "http://127.0.0.1:0" ]
              upstreams:
                east: { region: us-east-1, endpoint: "http://127.0.0.1:9", credentials: { source: profile, profile: gateway } }
              models:
                claude-sonnet-4-5: { aliases: [sonnet], routes: [ { upstream: east, model: us.anthropic.claude-sonnet-4-5-20250929-v1:0 } ] }
                claude-haiku-4-5: { aliases: [haiku], routes: [ { upstream: east, model: us.anthropic.claude-haiku-4-5-20251001-v1:0 } ] }
              groups:
                legal:
                  models: ["*"]
                  policy:
                    pii: { paymentCard: block, githubToken: mask, nationalId: log-only, custom: [ { name: matter-id, pattern: "MAT-[0-9]{6}", action: mask } ], restore: true }
                    guardrail: { id: gr-abc123, version: "3", trace: true }
                    archive: true
                    routing:
                      aliases:
                        auto:
                          rules: [ { when: { maxInputTokens: 2000, tools: false }, model: haiku } ]
                          default: sonnet
                      rewrites: { sonnet: haiku }
                plain: { models: [claude-haiku-4-5] }
              archive: { path: state/archive.db, key: "${file:archive.key}" }
            """);

        var result = await InProcessCli.RunAsync(["gateway", "check", "--config", path]);

        var legal = result.Stdout[result.Stdout.IndexOf("group legal", StringComparison.Ordinal)..result.Stdout.IndexOf("group plain", StringComparison.Ordinal)];
        Assert.True(legal.Contains("PII: paymentCard block, nationalId log-only, githubToken mask, custom 'matter-id' mask", StringComparison.Ordinal), result.Stdout);
        Assert.True(legal.Contains("placeholders restored in answers: yes", StringComparison.Ordinal), result.Stdout);
        Assert.True(legal.Contains("Bedrock guardrail: gr-abc123 version 3, trace on", StringComparison.Ordinal), result.Stdout);
        Assert.True(legal.Contains("archive: prompts and answers stored encrypted", StringComparison.Ordinal), result.Stdout);
        Assert.True(legal.Contains("routing 'auto': haiku when input < 2000 tokens, no tools; else sonnet", StringComparison.Ordinal), result.Stdout);
        Assert.True(legal.Contains("rewrite: claude-sonnet-4-5 served as claude-haiku-4-5", StringComparison.Ordinal), result.Stdout);
        Assert.Contains("group plain: models claude-haiku-4-5", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("archive: off", result.Stdout[result.Stdout.IndexOf("group plain", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
