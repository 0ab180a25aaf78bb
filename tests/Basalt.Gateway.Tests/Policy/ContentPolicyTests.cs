using Basalt.Gateway.Tests.TestSupport;
using Basalt.Policy.Archive;
using Basalt.Usage;
using Basalt.Usage.Audit;

namespace Basalt.Gateway.Tests.Policy;

/// <summary>
/// Issue 12 "Done when", through the gateway with @anthropic-ai/sdk: masking before the emulator sees a value (its
/// echo answer shows what it saw), restoring in the answer, refusing by category, guardrail interventions as
/// refusals in both modes, the archive only for the configured group, and routing by request shape.
/// </summary>
public sealed class ContentPolicyTests
{
    private const string Card = "4111 1111 1111 1111";
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private static readonly string Prompt = $"Charge card {Card} and use key {AccessKey} please";

    private static Task<System.Text.Json.Nodes.JsonObject> AskAsync(GatewayTestHost host, string action, string prompt, string model = "sonnet") =>
        GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new { baseURL = host.BaseUrl, apiKey = host.AliceKey, model, action, prompt });

    [Theory]
    [InlineData("create")]
    [InlineData("stream")]
    public async Task Card_numbers_and_aws_keys_are_masked_before_bedrock_sees_them(string action)
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            EngineeringPolicyYaml = "        pii: { paymentCard: mask, awsAccessKey: mask }",
        });

        var result = await AskAsync(host, action, Prompt);

        // The emulator answers with the prompt it received: placeholders only.
        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal("Charge card [CARD_1] and use key [AWS_ACCESS_KEY_1] please", (string)result["text"]!);
    }

    [Theory]
    [InlineData("create")]
    [InlineData("stream")]
    public async Task Placeholders_in_the_answer_are_restored_when_configured(string action)
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            EngineeringPolicyYaml = "        pii: { paymentCard: mask, awsAccessKey: mask, restore: true, scanAnswers: false }",
        });

        var result = await AskAsync(host, action, Prompt);

        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal(Prompt, (string)result["text"]!);
    }

    [Fact]
    public async Task Block_refuses_naming_the_category_and_nothing_goes_upstream()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            EngineeringPolicyYaml = "        pii: { paymentCard: block }",
        });

        var result = await AskAsync(host, "create", Prompt);

        Assert.False((bool)result["ok"]!);
        Assert.Equal(400, (int)result["status"]!);
        Assert.Contains("payment card number", (string)result["message"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", (string)result["message"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Emulator.RequestLog.Snapshot(), e => e.Service == "bedrock");
    }

    [Theory]
    [InlineData("create")]
    [InlineData("stream")]
    public async Task A_guardrail_intervention_reaches_the_client_as_a_refusal(string action)
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            ExtraBedrockYaml = "  guardrails:\n    - { id: gr-acme, version: \"3\", deniedTerms: [quarterly forecast], blockedInputMessaging: \"Acme policy does not allow this topic.\" }",
            EngineeringPolicyYaml = "        guardrail: { id: gr-acme, version: \"3\" }",
        });

        var refused = await AskAsync(host, action, "Tell me the quarterly forecast");
        var allowed = await AskAsync(host, action, "Tell me a joke");

        Assert.True((bool)refused["ok"]!, refused.ToJsonString());
        Assert.Equal("refusal", (string)refused["stop_reason"]!);
        Assert.Equal("Acme policy does not allow this topic.", (string)refused["text"]!);
        Assert.Equal("end_turn", (string)allowed["stop_reason"]!);
        Assert.Contains(host.Emulator.RequestLog.Snapshot(), e => e.Outcome == "GuardrailIntervened");
    }

    [Fact]
    public async Task The_archive_stores_and_decrypts_only_the_configured_groups_exchanges_and_audits_each_read()
    {
        var dir = Directory.CreateTempSubdirectory("basalt-archive-");
        try
        {
            var key = ArchiveKey.Generate();
            var path = Path.Combine(dir.FullName, "archive.db");
            await using (var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
            {
                EngineeringPolicyYaml = "        archive: true",
                ExtraGatewayYaml = $"  archive: {{ path: \"{path}\", key: \"${{env:ARCHIVE_KEY}}\", retentionDays: 30 }}",
                Environment = new Dictionary<string, string> { ["ARCHIVE_KEY"] = key.ToBase64() },
            }))
            {
                Assert.True((bool)(await AskAsync(host, "create", "alice asks about the merger"))["ok"]!);
                var bob = await GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new { baseURL = host.BaseUrl, apiKey = host.BobKey, model = "haiku", action = "create", prompt = "bob asks about lunch" });
                Assert.True((bool)bob["ok"]!, bob.ToJsonString());
                Assert.True((bool)(await AskAsync(host, "stream", "alice streams a question"))["ok"]!);
            }

            var audit = new StringWriter();
            var archive = await PromptArchive.OpenAsync(path, key, new AuditLog(audit));
            var entries = await archive.ReadAsync("investigator", "case 7", null, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);
            Assert.Equal(2, entries.Count);
            Assert.All(entries, e => Assert.Equal("alice", e.UserId));
            Assert.Contains(entries, e => e.Request.Contains("merger", StringComparison.Ordinal) && e.Response == "alice asks about the merger");
            Assert.Contains(entries, e => e.Response == "alice streams a question");
            Assert.Contains("\"event\":\"archive.read\"", audit.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("merger", audit.ToString(), StringComparison.Ordinal);
            foreach (var file in dir.GetFiles())
            {
                Assert.DoesNotContain("merger", await File.ReadAllTextAsync(file.FullName), StringComparison.Ordinal);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Routing_sends_a_short_prompt_to_haiku_and_a_long_one_to_opus_and_usage_keeps_both_models()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            ExtraModelsYaml = "    claude-opus-4-5:\n      aliases: [opus]\n      routes:\n        - { upstream: region0, model: \"us.anthropic.claude-opus-4-5-20251101-v1:0\" }",
            EngineeringPolicyYaml = "        routing:\n          aliases:\n            auto:\n              rules:\n                - { when: { maxInputTokens: 200, tools: false }, model: haiku }\n                - { when: { minInputTokens: 1000 }, model: opus }\n              default: sonnet",
        });

        Assert.True((bool)(await AskAsync(host, "create", "short question", model: "auto"))["ok"]!);
        Assert.True((bool)(await AskAsync(host, "create", string.Join(' ', Enumerable.Repeat("long context", 800)), model: "auto"))["ok"]!);

        var usage = await host.Usage.WaitAsync(2);
        Assert.All(usage, u => Assert.Equal("auto", u.ModelRequested));
        Assert.Equal(["claude-haiku-4-5", "claude-opus-4-5"], usage.Select(u => u.ModelServed ?? "(none)").Order().ToArray());
        Assert.All(usage, u => Assert.Equal(UsageOutcome.Ok, u.Outcome));
        Assert.All(usage, u => Assert.Equal("claude-sonnet-4-5", u.ModelBaseline));
    }

    [Fact]
    public async Task The_routing_report_prices_what_routing_served_at_the_baseline_models_list_price_and_shows_the_saving()
    {
        using var temp = new Basalt.Testing.TempDirectory("gw-routing-savings");
        var adminKey = "bsk_admin_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var adminSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(adminKey)));
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            ExtraModelsYaml = "    claude-opus-4-5:\n      aliases: [opus]\n      routes:\n        - { upstream: region0, model: \"us.anthropic.claude-opus-4-5-20251101-v1:0\" }",
            EngineeringPolicyYaml = "        routing:\n          aliases:\n            auto:\n              rules:\n                - { when: { maxInputTokens: 200, tools: false }, model: haiku }\n                - { when: { minInputTokens: 1000 }, model: opus }\n              default: sonnet",
            UsageYaml = $$"""
                    store: { sqlite: "{{temp.Combine("usage.db")}}" }
                    journal: "{{temp.Combine("journal")}}"
                    audit: "{{temp.Combine("audit.jsonl")}}"
                    admin: { sha256: [ {{adminSha}} ] }
                """,
        });
        for (var i = 0; i < 3; i++)
        {
            Assert.True((bool)(await AskAsync(host, "create", $"short question {i}", model: "auto"))["ok"]!);
        }

        Assert.True((bool)(await AskAsync(host, "create", string.Join(' ', Enumerable.Repeat("long context", 800)), model: "auto"))["ok"]!);
        Assert.True((bool)(await AskAsync(host, "create", "asked for sonnet itself", model: "sonnet"))["ok"]!);
        await host.Gateway.Usage!.Sink.FlushAsync(CancellationToken.None);

        using var admin = host.Client(adminKey);
        using var response = await admin.GetAsync(new Uri("/admin/usage?by=routing", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("served_model").GetString()!);

        // Only routed requests: the one that asked for sonnet by name is not a routing row.
        Assert.Equal(["claude-haiku-4-5", "claude-opus-4-5"], rows.Keys.Order().ToArray());
        var sonnet = Basalt.Bedrock.Models.ModelCatalogue.Default.Find("claude-sonnet-4-5")!.Prices!;
        var total = 0m;
        foreach (var (served, row) in rows)
        {
            Assert.Equal("auto", row.GetProperty("requested_model").GetString());
            Assert.Equal("claude-sonnet-4-5", row.GetProperty("baseline_model").GetString());
            var baseline = ((row.GetProperty("input_tokens").GetInt64() * sonnet.InputPerMTok!.Value) + (row.GetProperty("output_tokens").GetInt64() * sonnet.OutputPerMTok!.Value)) / 1_000_000m;
            Assert.Equal(baseline, row.GetProperty("baseline_cost_usd").GetDecimal(), 6);
            Assert.Equal(baseline - row.GetProperty("cost_usd").GetDecimal(), row.GetProperty("saved_usd").GetDecimal(), 6);
            total += row.GetProperty("saved_usd").GetDecimal();
        }

        Assert.Equal(3, rows["claude-haiku-4-5"].GetProperty("requests").GetInt64());
        Assert.True(rows["claude-haiku-4-5"].GetProperty("saved_usd").GetDecimal() > 0, text);
        Assert.True(rows["claude-opus-4-5"].GetProperty("saved_usd").GetDecimal() < 0, text);
        Assert.Equal(total, doc.RootElement.GetProperty("routing_saved_usd").GetDecimal(), 6);
    }

    [Fact]
    public void A_policy_with_an_unknown_routing_target_or_a_bad_pattern_is_refused_with_its_location()
    {
        var text = "gateway:\n  upstreams:\n    r: { region: us-east-1, endpoint: \"http://127.0.0.1:1\", credentials: { source: static, accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: \"${env:S}\" } }\n"
            + "  models:\n    claude-sonnet-4-5: { aliases: [sonnet], routes: [ { upstream: r, model: \"us.anthropic.claude-sonnet-4-5-20250929-v1:0\" } ] }\n"
            + "  groups:\n    g:\n      models: [\"*\"]\n      policy:\n        pii: { custom: [ { name: x, pattern: \"(?<=a)b\" } ] }\n        routing: { aliases: { auto: { default: sonet } } }\n";
        var result = Basalt.Gateway.Configuration.GatewayConfigReader.Parse(text, "gw.yaml", new Basalt.Deployment.Secrets.SecretReferenceResolver(Path.GetTempPath(), _ => "x"));

        Assert.Null(result.Options);
        var errors = result.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToList();
        Assert.Contains(errors, e => e.Contains("gw.yaml:10", StringComparison.Ordinal) && e.Contains("pattern 'x' cannot be used", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("gw.yaml:11", StringComparison.Ordinal) && e.Contains("did you mean 'sonnet'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bedrock_side_masks_the_body_and_applies_the_groups_guardrail_whatever_the_client_sends()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            ExtraBedrockYaml = "  guardrails:\n    - { id: gr-acme, version: \"3\", deniedTerms: [quarterly forecast], blockedInputMessaging: \"Acme policy does not allow this topic.\" }",
            EngineeringPolicyYaml = "        pii: { paymentCard: mask }\n        guardrail: { id: gr-acme, version: \"3\" }",
        });
        using var client = host.Client();

        async Task<string> InvokeAsync(string prompt)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/model/{Uri.EscapeDataString(GatewayTestHost.SonnetProfile)}/invoke")
            {
                Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { anthropic_version = "bedrock-2023-05-31", max_tokens = 100, messages = new[] { new { role = "user", content = prompt } } }), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + host.AliceKey);
            request.Headers.TryAddWithoutValidation("X-Amzn-Bedrock-GuardrailIdentifier", "gr-other");
            using var response = await client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("pay with [CARD_1]", await InvokeAsync($"pay with {Card}"), StringComparison.Ordinal);
        Assert.Contains("\"amazon-bedrock-guardrailAction\":\"INTERVENED\"", await InvokeAsync("the quarterly forecast"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task On_the_bedrock_side_boto3_gets_placeholders_restored_and_the_archive_keeps_the_answer(bool stream)
    {
        var dir = Directory.CreateTempSubdirectory("basalt-archive-bedrock-");
        try
        {
            var key = ArchiveKey.Generate();
            var path = Path.Combine(dir.FullName, "archive.db");
            System.Text.Json.Nodes.JsonObject result;
            await using (var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
            {
                EngineeringPolicyYaml = "        pii: { paymentCard: mask, awsAccessKey: mask, restore: true, scanAnswers: false }\n        archive: true",
                ExtraGatewayYaml = $"  archive: {{ path: \"{path}\", key: \"${{env:ARCHIVE_KEY}}\", retentionDays: 30 }}",
                Environment = new Dictionary<string, string> { ["ARCHIVE_KEY"] = key.ToBase64() },
            }))
            {
                var request = System.Text.Json.JsonSerializer.Serialize(new
                {
                    endpoint = host.BaseUrl,
                    modelId = GatewayTestHost.SonnetProfile,
                    body = new { anthropic_version = "bedrock-2023-05-31", max_tokens = 200, messages = new[] { new { role = "user", content = Prompt } } },
                    stream,
                    token = host.AliceKey,
                });
                var run = await Basalt.Testing.ProcessRunner.RunAsync(Basalt.Testing.ExternalTools.Python(), [Path.Combine(Basalt.Testing.RepoPaths.Interop, "gateway", "bedrock_boto3.py")], request, null, Basalt.Testing.RepoPaths.Interop, TimeSpan.FromMinutes(1));
                Assert.True(run.ExitCode == 0, run.Stderr);
                result = System.Text.Json.Nodes.JsonNode.Parse(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!.AsObject();

                // The emulator saw placeholders only; the client reads its own values back (botocore decoded and
                // CRC-checked every re-encoded frame).
                Assert.True((bool)result["ok"]!, result.ToJsonString());
                Assert.Equal(Prompt, (string)result["text"]!);
                Assert.DoesNotContain(Card, string.Join('\n', host.Emulator.RequestLog.Snapshot().Select(e => e.Message)), StringComparison.Ordinal);
            }

            var archive = await PromptArchive.OpenAsync(path, key, new AuditLog(new StringWriter()));
            var entry = Assert.Single(await archive.ReadAsync("investigator", "case 8", null, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None));
            Assert.Contains("[CARD_1]", entry.Request, StringComparison.Ordinal);
            Assert.Equal(Prompt, entry.Response);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_reloaded_policy_applies_to_the_next_request_without_a_restart()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { EngineeringPolicyYaml = "        pii: { paymentCard: mask }" });
        Assert.Contains("[CARD_1]", (string)(await AskAsync(host, "create", Prompt))["text"]!, StringComparison.Ordinal);

        var blocking = host.Gateway.Handler.Options.Groups.ToDictionary(
            g => g.Key,
            g => g.Key == "engineering" ? g.Value with { Policy = g.Value.Policy with { Pii = g.Value.Policy.Pii! with { Actions = new Dictionary<Basalt.Policy.Pii.PiiCategory, Basalt.Policy.Pii.PiiAction> { [Basalt.Policy.Pii.PiiCategory.PaymentCard] = Basalt.Policy.Pii.PiiAction.Block } } } } : g.Value);
        var next = new Basalt.Gateway.Configuration.GatewayOptions
        {
            Listeners = host.Gateway.Handler.Options.Listeners, Upstreams = host.Gateway.Handler.Options.Upstreams, Models = host.Gateway.Handler.Options.Models,
            ApiKeys = host.Gateway.Handler.Options.ApiKeys, Groups = blocking,
        };
        var (applied, message) = host.Gateway.Handler.Policy.Reload(next);

        Assert.True(applied, message);
        Assert.Contains("engineering changed", message, StringComparison.Ordinal);
        var refused = await AskAsync(host, "create", Prompt);
        Assert.Equal(400, (int)refused["status"]!);

        var archiving = new Basalt.Gateway.Configuration.GatewayOptions
        {
            Listeners = next.Listeners, Upstreams = next.Upstreams, Models = next.Models, ApiKeys = next.ApiKeys,
            Groups = blocking.ToDictionary(g => g.Key, g => g.Value with { Policy = g.Value.Policy with { Archive = true } }),
        };
        var (archiveApplied, archiveMessage) = host.Gateway.Handler.Policy.Reload(archiving);
        Assert.False(archiveApplied);
        Assert.Contains("restart it to open one", archiveMessage, StringComparison.Ordinal);
        Assert.Equal(400, (int)(await AskAsync(host, "create", Prompt))["status"]!);
    }
}
