using System.CommandLine;
using System.Globalization;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Policy;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt gateway archive export</c> (issue 12 item 3): the archived exchanges of a person (or everyone) in a time
/// window, decrypted for an investigation, as JSON lines. A thin host over <see cref="PolicyRecorder"/>: the read
/// is audited (reader, reason, entry ids) in the archive's audit log before anything is written out, and a file
/// output is created 0600.
/// </summary>
internal static class GatewayArchiveCommand
{
    public static Command Create()
    {
        var command = new Command("archive", "The prompt archive of groups whose policy archives (encrypted at rest).");
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command Export()
    {
        var config = new Option<string>("--config") { Description = "Gateway configuration whose 'archive:' section names the archive and its key.", DefaultValueFactory = _ => "basalt.yaml" };
        var reason = new Option<string>("--reason") { Description = "Why the archive is read (a case or ticket number); recorded in the audit log.", Required = true };
        var user = new Option<string?>("--user") { Description = "Only this person's exchanges (their stable user id). Default: everyone's." };
        var from = new Option<string?>("--from") { Description = "Start (UTC date or date-time). Default: 30 days ago." };
        var to = new Option<string?>("--to") { Description = "End, exclusive (UTC date or date-time). Default: now." };
        var reader = new Option<string?>("--reader") { Description = "Who reads, for the audit log. Default: the operating-system user." };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file (created 0600) instead of stdout." };
        var command = new Command("export", "Decrypt and export archived exchanges as JSON lines; every export is audited.");
        foreach (var o in new Option[] { config, reason, user, from, to, reader, output })
        {
            command.Options.Add(o);
        }

        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var now = DateTimeOffset.UtcNow;
            if (!TryTime(parse.GetValue(from), now.AddDays(-30), out var start) || !TryTime(parse.GetValue(to), now, out var end))
            {
                console.Error.WriteLine("error: --from and --to take a UTC date (2026-12-01) or date-time (2026-12-01T08:00:00Z).");
                return 1;
            }

            var path = parse.GetValue(config)!;
            var result = GatewayConfigReader.Load(path);
            foreach (var d in result.Diagnostics.Where(d => d.IsError))
            {
                console.Error.WriteLine(d.ToString());
            }

            if (result.Options is null)
            {
                return 1;
            }

            if (result.Options.Archive is null)
            {
                console.Error.WriteLine($"{path}: no 'archive:' section, so nothing is archived; a group archives with 'policy: {{ archive: true }}' and the gateway's 'archive: {{ path, key }}'.");
                return 1;
            }

            using var recorder = await PolicyRecorder.OpenAsync(result.Options, null, null, ct).ConfigureAwait(false);
            var who = parse.GetValue(reader) ?? Environment.UserName;
            if (parse.GetValue(output) is { } file)
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using var stream = new FileStream(file, options);
                var count = await recorder.Archive!.ExportAsync(who, parse.GetValue(reason)!, parse.GetValue(user), start, end, stream, ct).ConfigureAwait(false);
                console.Error.WriteLine($"Exported {count} exchanges to {file} (0600); the read is recorded in the archive's audit log.");
            }
            else
            {
                await using var stdout = new MemoryStream();
                var count = await recorder.Archive!.ExportAsync(who, parse.GetValue(reason)!, parse.GetValue(user), start, end, stdout, ct).ConfigureAwait(false);
                console.Out.Write(System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
                console.Error.WriteLine($"Exported {count} exchanges; the read is recorded in the archive's audit log.");
            }

            return 0;
        }));
        return command;
    }

    private static bool TryTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        value = fallback;
        return text is null || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }
}
