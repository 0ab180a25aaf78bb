using System.CommandLine;
using Basalt.Gateway.Doctor;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt gateway doctor --url URL [--key KEY | --key-file FILE] [--deployment FILE] [--ca FILE] [--json]</c>
/// (issue 11 item 3): checks a running deployment from outside and prints a report like <c>basalt config report</c>.
/// Exit 0 when nothing failed (warnings allowed), 1 when a check failed, 2 for bad arguments. <c>--health-only</c>
/// checks <c>/healthz</c> alone, quietly: the container image's HEALTHCHECK (it has no curl). A host over
/// <see cref="GatewayDoctor"/>.
/// </summary>
internal static class GatewayDoctorCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The gateway's base URL as devices reach it, e.g. https://llm.example.com.", Required = true };
        var key = new Option<string?>("--key") { Description = "A gateway key for /v1/models, discovery and one test request per model (prefer --key-file or BASALT_GATEWAY_KEY: arguments show in process lists)." };
        var keyFile = new Option<string?>("--key-file") { Description = "A file holding the gateway key." };
        var deployment = new Option<string?>("--deployment") { Description = "A deployment file: check that the Claude Code and Claude Desktop settings 'deploy generate' writes from it authenticate." };
        var ca = new Option<string?>("--ca") { Description = "PEM file of a private CA's root certificate to trust." };
        var healthOnly = new Option<bool>("--health-only") { Description = "Only GET /healthz (for container health checks); no output unless it fails." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("doctor", "Check a running gateway deployment from outside: TLS, health, readiness, store, clock, models, a test request per model, device settings.");
        foreach (var o in new Option[] { url, key, keyFile, deployment, ca, healthOnly, json })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var console = CliConsole.Of(parse);
            var text = parse.GetValue(url)!;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
            {
                console.Error.WriteLine($"error: --url '{text}' is not an http(s) URL. Fix: give the gateway's base URL, e.g. --url https://llm.example.com");
                return 2;
            }

            string? secret = parse.GetValue(key);
            if (parse.GetValue(keyFile) is { } file)
            {
                try
                {
                    secret = (await File.ReadAllTextAsync(file, ct)).Trim();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    console.Error.WriteLine($"error: cannot read --key-file {file}: {e.Message}");
                    return 2;
                }
            }

            secret ??= Environment.GetEnvironmentVariable("BASALT_GATEWAY_KEY") is { Length: > 0 } fromEnv ? fromEnv : null;
            var report = await GatewayDoctor.RunAsync(new DoctorOptions
            {
                Url = target,
                Key = secret,
                DeploymentFile = parse.GetValue(deployment),
                CaFile = parse.GetValue(ca),
                HealthOnly = parse.GetValue(healthOnly),
                Timeout = parse.GetValue(healthOnly) ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(30),
            }, cancellationToken: ct);
            if (parse.GetValue(healthOnly))
            {
                if (report.Failed)
                {
                    console.Error.Write(report.ToText());
                }
            }
            else
            {
                console.Out.Write(parse.GetValue(json) ? report.ToJson() + Environment.NewLine : report.ToText());
            }

            return report.Failed ? 1 : 0;
        });
        return command;
    }
}
