using System.CommandLine;
using System.Globalization;
using Basalt.Aws;
using Basalt.Bedrock;
using Basalt.Bedrock.Models;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt models list|show|sync</c>: Basalt's model catalogue (claude-models.json) and what an AWS account can
/// call. The host only maps options to library calls (<see cref="ModelCatalogue"/>, <see cref="ModelAccountSync"/>).
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "The Claude models Basalt knows (ids per platform, limits, prices) and what your AWS account can call.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Sync());
        return command;
    }

    private static Option<string?> CatalogueOption() => new("--catalogue") { Description = "An override file (catalogue shape, e.g. from 'basalt models sync') applied over the built-in catalogue." };

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print the catalogue as JSON (claude-models.json with overrides)." };
        var overrides = CatalogueOption();
        var command = new Command("list", "Every model: client id, Bedrock id and profiles, context window, output limits, prices.");
        command.Options.Add(json);
        command.Options.Add(overrides);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), console =>
        {
            var catalogue = Catalogue(parse.GetValue(overrides));
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(catalogue.ToJson());
                return Task.FromResult(0);
            }

            var rows = catalogue.Models.Select(m => new[]
            {
                m.ClientId, m.Family, m.FoundationModelId ?? "(not on Bedrock)", string.Join(",", m.ProfilePrefixes),
                Tokens(m.ContextWindow), $"{Tokens(m.DefaultMaxOutputTokens)}/{Tokens(m.MaxOutputTokens)}",
                $"{Usd(m.Prices.InputPerMTok)}/{Usd(m.Prices.OutputPerMTok)}", Status(catalogue, m),
            }).ToList();
            WriteTable(console.Out, ["client id", "family", "bedrock id", "profiles", "context", "output", "$/MTok in/out", "status"], rows);
            if (catalogue.Account is { } account)
            {
                console.Out.WriteLine($"account {account.AccountId ?? "(unknown)"} in {account.Region}: {account.FoundationModelIds.Count} foundation model(s), {account.InferenceProfileIds.Count} profile(s) callable");
            }

            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "Any id of the model: client id, Bedrock foundation or profile id, Mantle id." };
        var json = new Option<bool>("--json") { Description = "Print the catalogue entry as JSON." };
        var overrides = CatalogueOption();
        var command = new Command("show", "One model with everything the catalogue knows about it.");
        command.Arguments.Add(id);
        command.Options.Add(json);
        command.Options.Add(overrides);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), console =>
        {
            var catalogue = Catalogue(parse.GetValue(overrides));
            var text = parse.GetValue(id)!;
            if (catalogue.Find(text) is not { } m)
            {
                var guess = ModelIdSuggester.Suggest(catalogue, text);
                console.Error.WriteLine($"error: '{text}' is not a model in the catalogue{(guess is null ? string.Empty : $"; did you mean '{guess.ClientId}'?")} ('basalt models list' shows every id)");
                return Task.FromResult(1);
            }

            if (parse.GetValue(json))
            {
                console.Out.WriteLine(catalogue.ModelJson(m));
                return Task.FromResult(0);
            }

            var o = console.Out;
            o.WriteLine($"{m.DisplayName} ({m.ClientId}), family {m.Family}, version {m.Version}: {Status(catalogue, m)}");
            o.WriteLine($"  bedrock:        {m.FoundationModelId ?? "not offered"}");
            foreach (var prefix in m.ProfilePrefixes)
            {
                o.WriteLine($"  profile:        {m.ProfileId(prefix)}");
            }

            o.WriteLine($"  partitions:     {string.Join(", ", m.Partitions)}{(m.AvailabilitySource is null ? string.Empty : $"  ({m.AvailabilitySource})")}");
            o.WriteLine($"  mantle:         {m.MantleId ?? "-"}");
            o.WriteLine($"  context:        {Tokens(m.ContextWindow)}{(m.Supports1MContext ? " (1M)" : string.Empty)}");
            o.WriteLine($"  max output:     {m.DefaultMaxOutputTokens} default, {m.MaxOutputTokens} maximum");
            o.WriteLine($"  cutoff/release: {m.KnowledgeCutoff ?? "unknown"} / {m.ReleaseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "unknown"}");
            o.WriteLine($"  fallback:       {m.Fallback ?? "-"}");
            var p = m.Prices;
            o.WriteLine($"  USD per MTok:   input {Usd(p.InputPerMTok)}, output {Usd(p.OutputPerMTok)}, cache read {Usd(p.CacheReadPerMTok)}, cache write 5m {Usd(p.CacheWrite5mPerMTok)}, 1h {Usd(p.CacheWrite1hPerMTok)}  ({p.Source})");
            foreach (var rule in m.BetaRules.Concat(m.FieldRules))
            {
                o.WriteLine($"  rule:           {rule.Name} -> {rule.Action.ToString().ToLowerInvariant()}{(rule.MapTo is null ? string.Empty : " " + rule.MapTo)}  ({rule.Source})");
            }

            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command Sync()
    {
        var region = new Option<string>("--region") { Description = "The Bedrock region to read.", Required = true };
        var endpoint = new Option<string?>("--endpoint") { Description = "Control-plane endpoint instead of AWS's (e.g. the emulator's URL)." };
        var tokenFile = new Option<string?>("--bearer-token-file") { Description = "A file holding a Bedrock API key; else AWS_BEARER_TOKEN_BEDROCK, else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN (SigV4)." };
        var output = new Option<string>("-o", "--output") { Description = "The override file to write.", DefaultValueFactory = _ => "models.account.json" };
        var command = new Command("sync", "Read which models the account can call (ListFoundationModels, ListInferenceProfiles) into an override file for 'modelCatalogue: files:'.");
        command.Options.Add(region);
        command.Options.Add(endpoint);
        command.Options.Add(tokenFile);
        command.Options.Add(output);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var auth = Auth(parse.GetValue(tokenFile));
            if (auth is null)
            {
                console.Error.WriteLine("error: no credential: pass --bearer-token-file, or set AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
                return 1;
            }

            using var http = new HttpClient();
            var client = new BedrockControlPlaneClient(http, new BedrockClientOptions
            {
                Region = parse.GetValue(region)!,
                Auth = auth,
                ControlPlaneEndpoint = parse.GetValue(endpoint) is { } url ? new Uri(url, UriKind.Absolute) : null,
            });
            var access = await ModelAccountSync.ReadAsync(client, cancellationToken: ct).ConfigureAwait(false);
            var path = parse.GetValue(output)!;
            await File.WriteAllTextAsync(path, ModelCatalogue.AccountOverrideJson(access) + "\n", ct).ConfigureAwait(false);
            var catalogue = ModelCatalogue.Default;
            var missing = catalogue.Models.Where(m => m.IsOnBedrock && !m.Retired && !access.FoundationModelIds.Contains(m.FoundationModelId!)).Select(m => m.ClientId).ToList();
            console.Out.WriteLine($"account {access.AccountId ?? "(unknown)"} in {access.Region}: {access.FoundationModelIds.Count} foundation model(s), {access.InferenceProfileIds.Count} inference profile(s); wrote {path}");
            if (missing.Count > 0)
            {
                console.Out.WriteLine($"not callable: {string.Join(", ", missing)}");
            }

            console.Out.WriteLine($"add it to the deployment file: modelCatalogue: {{ files: [{Path.GetFileName(path)}] }}");
            return 0;
        }));
        return command;
    }

    private static BedrockAuth? Auth(string? tokenFile)
    {
        if (tokenFile is not null)
        {
            return BedrockAuth.ApiKey(File.ReadAllText(tokenFile).Trim());
        }

        if (Environment.GetEnvironmentVariable("AWS_BEARER_TOKEN_BEDROCK") is { Length: > 0 } token)
        {
            return BedrockAuth.ApiKey(token);
        }

        return Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is { Length: > 0 } keyId && Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret
            ? BedrockAuth.SigV4(new AwsCredentials(keyId, secret, Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN")))
            : null;
    }

    private static ModelCatalogue Catalogue(string? overrides)
        => overrides is null ? ModelCatalogue.Default
            : ModelCatalogue.Default.WithOverrides(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(overrides)) ?? new System.Text.Json.Nodes.JsonObject(), overrides);

    private static string Status(ModelCatalogue catalogue, ModelDefinition m)
        => m.Retired ? "retired"
            : !m.IsOnBedrock ? "not on Bedrock"
            : catalogue.Account is { } a && !a.FoundationModelIds.Contains(m.FoundationModelId!) ? "not enabled in account"
            : ReferenceEquals(catalogue.NewestInFamily(m.Family), m) ? "current (newest)" : "current";

    private static string Tokens(int? tokens) => tokens switch
    {
        null => "?",
        >= 1_000_000 when tokens % 1_000_000 == 0 => $"{tokens / 1_000_000}M",
        >= 1000 when tokens % 1000 == 0 => $"{tokens / 1000}k",
        _ => tokens.Value.ToString(CultureInfo.InvariantCulture),
    };

    private static string Usd(decimal? price) => price?.ToString("0.##", CultureInfo.InvariantCulture) ?? "?";

    private static void WriteTable(TextWriter output, string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }
}
