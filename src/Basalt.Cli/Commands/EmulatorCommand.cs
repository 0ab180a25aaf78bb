using System.CommandLine;
using System.Globalization;
using System.Net;
using Basalt.Emulator;
using Basalt.Emulator.Options;
using Spectre.Console;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt emulator [--config FILE] [--port N] [--host 127.0.0.1]</c>: runs the local AWS emulator (Bedrock,
/// STS, IAM Identity Center) in this process until Ctrl+C, printing its endpoints and how to use the configured
/// identities. It prints key ids and names only; secrets stay in the config file.
/// </summary>
internal static class EmulatorCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Identities and Bedrock settings (YAML), e.g. examples/emulator/identities.yaml." };
        var port = new Option<int?>("--port") { Description = "Port to listen on (default: the file's 'port', else 8401; 0 picks a free port)." };
        var host = new Option<string?>("--host") { Description = "Address to bind (default 127.0.0.1). The emulator accepts self-issued credentials: keep it on loopback." };
        var command = new Command("emulator", "Run the local AWS emulator (Bedrock runtime + control plane, STS, IAM Identity Center) until Ctrl+C.");
        command.Options.Add(config);
        command.Options.Add(port);
        command.Options.Add(host);
        command.SetAction((ParseResult parse, CancellationToken ct) => RunAsync(CliConsole.Of(parse), parse.GetValue(config), parse.GetValue(port), parse.GetValue(host), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string? configPath, int? port, string? host, CancellationToken cancellationToken)
    {
        var options = configPath is null ? new EmulatorOptions { Port = 8401 } : EmulatorOptions.Load(configPath);
        foreach (var d in options.Diagnostics)
        {
            console.Error.WriteLine(d.ToString());
        }

        if (options.HasErrors)
        {
            console.Error.WriteLine($"{configPath}: fix the errors above, then start the emulator again.");
            return 1;
        }

        if (configPath is not null && options.Port == 0 && port is null)
        {
            options.Port = 8401;
        }

        if (port is { } p)
        {
            if (p is < 0 or > 65535)
            {
                console.Error.WriteLine($"error: --port {p} is not a port number (0-65535).");
                return 1;
            }

            options.Port = p;
        }

        if (host is not null)
        {
            if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(host, out _))
            {
                console.Error.WriteLine($"error: --host '{host}' is not an IP address (use 127.0.0.1 or localhost).");
                return 1;
            }

            options.Host = host;
        }

        EmulatorServer server;
        try
        {
            server = await EmulatorServer.StartAsync(options, cancellationToken);
        }
        catch (IOException e)
        {
            console.Error.WriteLine($"error: cannot listen on {options.Host}:{options.Port}: {e.Message} Use --port to pick another port (0 picks a free one).");
            return 1;
        }

        await using (server)
        {
            // Ctrl+C and SIGTERM stop the emulator cleanly (exit 0) instead of killing the process mid-response.
            PrintBanner(console, server, configPath);
            await StopSignal.WaitAsync(cancellationToken);
            console.Out.WriteLine("Stopping the emulator.");
        }

        return 0;
    }

    private static void PrintBanner(CliConsole console, EmulatorServer server, string? configPath)
    {
        var url = server.BaseAddress.ToString().TrimEnd('/');
        var options = server.Options;

        // The first line is stable so scripts and tests can wait for it and read the URL.
        console.Out.WriteLine($"Basalt local AWS emulator listening on {url}/");
        console.Out.WriteLine($"  region {options.Region}; one endpoint for every service:");
        console.Out.WriteLine($"    Bedrock runtime + control plane  {url}  (e.g. GET {url}/foundation-models)");
        console.Out.WriteLine($"    STS                              {url}/");
        console.Out.WriteLine($"    IAM Identity Center OIDC/portal  {url}  (device sign-in page: {url}/device)");
        console.Out.WriteLine($"    request log                      {url}/_emulator/requests");
        console.Out.WriteLine($"  HTTP/2 (cleartext) {server.Http2BaseAddress}  (same services over h2c with prior knowledge, for clients that");
        console.Out.WriteLine("    default to HTTP/2, such as @aws-sdk/client-bedrock-runtime)");
        console.Out.WriteLine();
        if (options.Users.Count == 0)
        {
            console.Out.WriteLine("No identities configured. Start with --config examples/emulator/identities.yaml to sign requests.");
        }
        else
        {
            PrintIdentities(console, options, configPath!);
            PrintHints(console, options, url, configPath!);
        }

        console.Out.WriteLine();
        console.Out.WriteLine("Press Ctrl+C to stop.");
        console.Out.Flush();
    }

    private static void PrintIdentities(CliConsole console, EmulatorOptions options, string configPath)
    {
        var partition = Basalt.Aws.AwsPartition.ForRegion(options.Region) ?? Basalt.Aws.AwsPartition.Aws;
        var table = new Table().Title($"Identities from {Markup.Escape(configPath)}").AddColumns("user", "ARN", "sign-in");
        foreach (var user in options.Users)
        {
            var ways = new List<string>();
            ways.AddRange(user.AccessKeys.Select(k => $"access key {k.AccessKeyId}"));
            if (user.BedrockApiKeys.Count > 0)
            {
                ways.Add($"{user.BedrockApiKeys.Count} Bedrock API key(s)");
            }

            var sets = options.PermissionSets.Where(ps => ps.Assignments.Any(a => a.Users.Contains(user.Name))).Select(ps => ps.Name).ToList();
            if (sets.Count > 0)
            {
                ways.Add($"Identity Center: {string.Join(", ", sets)}");
            }

            table.AddRow(Markup.Escape(user.Name), Markup.Escape($"arn:{partition.Id}:iam::{user.Account}:user{user.Path}{user.Name}"), Markup.Escape(string.Join("; ", ways)));
        }

        foreach (var role in options.Roles)
        {
            table.AddRow(Markup.Escape($"role {role.Name}"), Markup.Escape($"arn:{partition.Id}:iam::{role.Account}:role{role.Path}{role.Name}"), Markup.Escape(Trust(role)));
        }

        // Spectre renders to this invocation's output (the console, or a test's writer).
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Out) }).Write(table);
    }

    private static string Trust(RoleOptions role)
    {
        var parts = new List<string>();
        if (role.TrustedPrincipals.Count > 0)
        {
            parts.Add("AssumeRole by " + string.Join(", ", role.TrustedPrincipals) + (role.ExternalId is null ? string.Empty : " (external id required)"));
        }

        parts.AddRange(role.WebIdentity.Select(w => $"web identity from {w.Issuer} (aud {string.Join(", ", w.Audiences)})"));
        parts.Add($"max {role.MaxSessionDuration.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} h");
        return string.Join("; ", parts);
    }

    private static void PrintHints(CliConsole console, EmulatorOptions options, string url, string configPath)
    {
        console.Out.WriteLine("Try it (secrets are in the config file, not printed here):");
        if (options.Users.FirstOrDefault(u => u.AccessKeys.Count > 0) is { } withKey)
        {
            console.Out.WriteLine($"  AWS_ACCESS_KEY_ID={withKey.AccessKeys[0].AccessKeyId} AWS_SECRET_ACCESS_KEY=<{withKey.Name}'s secretAccessKey in {configPath}> \\");
            console.Out.WriteLine($"    aws --endpoint-url {url} --region {options.Region} sts get-caller-identity");
            if (options.Roles.FirstOrDefault(r => r.TrustedPrincipals.Count > 0) is { } role)
            {
                var externalId = role.ExternalId is null ? string.Empty : $" --external-id {role.ExternalId}";
                console.Out.WriteLine($"    aws --endpoint-url {url} --region {options.Region} sts assume-role --role-arn arn:aws:iam::{role.Account}:role{role.Path}{role.Name} --role-session-name demo{externalId}");
            }
        }

        if (options.Users.FirstOrDefault(u => u.BedrockApiKeys.Count > 0) is { } withApiKey)
        {
            console.Out.WriteLine($"  Claude Code: CLAUDE_CODE_USE_BEDROCK=1 AWS_REGION={options.Region} ANTHROPIC_BEDROCK_BASE_URL={url} AWS_BEARER_TOKEN_BEDROCK=<{withApiKey.Name}'s bedrockApiKeys entry> claude");
        }

        if (options.PermissionSets.Count > 0)
        {
            console.Out.WriteLine($"  IAM Identity Center: sso_start_url={options.IdentityCenter.StartUrl}, sso_region={options.Region}; OIDC and portal at {url}; approve device codes at {url}/device");
        }
    }
}
