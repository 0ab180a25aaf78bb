using Basalt.Credentials;
using Basalt.Credentials.Cache;
using Basalt.Credentials.Output;
using Basalt.Credentials.Settings;
using Basalt.Diagnostics;
using Basalt.Emulator;
using Basalt.Emulator.Options;

// Commands:
//   emulator              start the emulator with the fixed test identities; print its base URL; stop on stdin EOF
//   resolve SETTINGS PROFILE FORMAT   resolve like basalt-credential (FORMAT: process|export|desktop|env|pwsh); env from this process
//   hold-lock PATH        take the cross-process lock, print "locked", then wait to be killed
return args.FirstOrDefault() switch
{
    "emulator" => await RunEmulatorAsync(),
    "resolve" when args.Length == 4 => await ResolveAsync(args[1], args[2], args[3]),
    "hold-lock" when args.Length == 2 => await HoldLockAsync(args[1]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: emulator | resolve SETTINGS PROFILE FORMAT | hold-lock PATH");
    return 2;
}

static async Task<int> RunEmulatorAsync()
{
    var options = new EmulatorOptions();
    options.Accounts.Add(new AccountOptions { Id = "123456789012", Name = "bedrock" });
    options.Users.Add(new UserOptions
    {
        Name = "alice",
        Account = "123456789012",
        Groups = ["engineering"],
        AccessKeys = [new AccessKeyOptions { AccessKeyId = "AKIAALICEEXAMPLE0001", SecretAccessKey = "alice/secret/0001+xyz" }],
    });
    options.PermissionSets.Add(new PermissionSetOptions
    {
        Name = "BedrockInference",
        SessionDuration = TimeSpan.FromHours(1),
        Assignments = [new PermissionSetAssignment { Account = "123456789012", Users = ["alice"] }],
    });
    options.Roles.Add(new RoleOptions { Name = "BedrockRole", Account = "123456789012", TrustedPrincipals = ["arn:aws:iam::123456789012:user/alice"], ExternalId = "ext-1234" });
    options.Roles.Add(new RoleOptions { Name = "ChainedRole", Account = "123456789012", TrustedPrincipals = ["arn:aws:iam::123456789012:role/BedrockRole"] });
    options.IdentityCenter = new IdentityCenterOptions { StartUrl = "https://d-9067example.awsapps.com/start", PollInterval = TimeSpan.FromSeconds(1) };

    await using var server = await EmulatorServer.StartAsync(options);
    Console.WriteLine(server.BaseAddress);
    Console.Out.Flush();
    await Console.In.ReadToEndAsync();
    return 0;
}

static async Task<int> ResolveAsync(string settingsPath, string profile, string format)
{
    var diagnostics = new List<Diagnostic>();
    var settings = CredentialHelperSettings.Load(settingsPath, diagnostics);
    foreach (var d in diagnostics)
    {
        Console.Error.WriteLine(d);
    }

    if (settings is null)
    {
        return 1;
    }

    var environment = CredentialEnvironment.FromProcess();
    var resolver = new CredentialHelperResolver(settings, environment);
    var request = new CredentialRequest(CredentialContexts.FromEnvironment(environment), Console.Error);
    try
    {
        var resolved = await resolver.ResolveAsync(profile, request, CancellationToken.None);
        Console.Out.Write(format switch
        {
            "process" => resolved.ToCredentialProcessJson(),
            "export" => resolved.ToAwsCredentialExportJson(),
            "desktop" => resolved.ToDesktopHelperOutput(),
            "env" => resolved.ToShellExport(ShellKind.Posix),
            "pwsh" => resolved.ToShellExport(ShellKind.PowerShell),
            _ => throw new CredentialException($"unknown format {format}"),
        });
        return 0;
    }
    catch (CredentialException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
}

static async Task<int> HoldLockAsync(string path)
{
    using var held = await CrossProcessFileLock.AcquireAsync(path, TimeSpan.FromSeconds(30), CancellationToken.None);
    Console.WriteLine("locked");
    Console.Out.Flush();
    await Task.Delay(Timeout.Infinite);
    return 0;
}
