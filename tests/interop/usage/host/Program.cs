using System.Runtime.InteropServices;
using Basalt.Identity;
using Basalt.Usage;
using Basalt.Usage.Journal;
using Basalt.Usage.Pricing;
using Basalt.Usage.Stores;

// basalt-usage-test-host JOURNAL-DIR STORE-KIND STORE-TARGET PREFIX [JOURNAL-SYNC-INTERVAL-MS]
// Records usage events as fast as 16 concurrent "requests" can, forever, printing "ack <id>" once RecordAsync has
// returned (the moment the gateway would complete the response). SIGTERM is a graceful stop: the sink flushes into
// the store and the process prints "stopped" and exits 0.
var (journalDir, kind, target, prefix) = (args[0], args[1], args[2], args[3]);
var syncInterval = TimeSpan.FromMilliseconds(args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 0);
await using var store = await UsageStoreFactory.OpenAndMigrateAsync(kind, target, CancellationToken.None);
var sink = DurableUsageSink.Open(journalDir, store, UsagePricer.WithoutCatalogue(new TokenPrices(3m, 15m, null, null, null, "test")), journalSyncInterval: syncInterval);
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
{
    ctx.Cancel = true;
    stop.Cancel();
});
var output = Console.Out;
var gate = new object();
var principal = new Principal("durable-user", "durable-user", null, ["eng"], AuthenticationMethod.ConfiguredApiKey, "key-durable");
var next = 0;
Console.WriteLine("ready");
var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        var id = $"{prefix}-{Interlocked.Increment(ref next)}";
        await sink.RecordAsync(new UsageEvent
        {
            RequestId = id,
            Timestamp = DateTimeOffset.UtcNow,
            Principal = principal,
            InboundProtocol = "anthropic",
            ModelRequested = "claude-sonnet-5",
            InputTokens = 100,
            OutputTokens = 10,
            Outcome = UsageOutcome.Ok,
            StatusCode = 200,
        }, CancellationToken.None);
        lock (gate)
        {
            output.WriteLine("ack " + id);
            output.Flush();
        }
    }
})).ToArray();
await Task.WhenAll(workers);
await sink.DisposeAsync();
Console.WriteLine("stopped");
return 0;
