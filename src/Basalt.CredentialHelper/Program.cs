using Basalt.Credentials.Cli;

// basalt-credential: the NativeAOT credential helper on end-user devices. All behaviour lives in the library
// (Basalt.Credentials.Cli) so `basalt credentials ...` runs the same code; this host only wires the process.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await CredentialHelperCommand.RunAsync(args, CredentialHost.FromProcess(), cancel.Token).ConfigureAwait(false);
