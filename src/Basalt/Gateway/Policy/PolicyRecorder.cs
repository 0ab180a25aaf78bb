#if NET10_0_OR_GREATER
using Basalt.Gateway.Configuration;
using Basalt.Policy.Archive;
using Basalt.Usage.Audit;

namespace Basalt.Gateway.Policy;

/// <summary>
/// Policy events to the audit log (JSON lines, 0600) and archiving groups' exchanges to the encrypted archive
/// (issue 12 items 1–3). Opened by the host from the configuration's <c>archive:</c> section; without one, audit
/// events go to the audit log given (or nowhere) and nothing is archived (the reader refuses archiving groups
/// without an archive, so nothing is silently dropped).
/// </summary>
public sealed class PolicyRecorder : IPolicyRecorder, IDisposable
{
    private readonly AuditLog? _audit;
    private readonly bool _ownsAudit;

    private PolicyRecorder(AuditLog? audit, bool ownsAudit, PromptArchive? archive)
    {
        _audit = audit;
        _ownsAudit = ownsAudit;
        Archive = archive;
    }

    public PromptArchive? Archive { get; }

    public bool CanArchive => Archive is not null;

    /// <summary>Opens the archive of <paramref name="options"/> (if any); audit lines go to <paramref name="audit"/>,
    /// else beside the archive (<c>archive-audit.jsonl</c>).</summary>
    public static async Task<PolicyRecorder> OpenAsync(GatewayOptions options, AuditLog? audit, TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Archive is not { } archive)
        {
            return new PolicyRecorder(audit, false, null);
        }

        var path = Path.GetFullPath(archive.Path, Path.GetDirectoryName(Path.GetFullPath(options.Source)) ?? ".");
        var owns = audit is null;
        audit ??= AuditLog.Open(Path.Combine(Path.GetDirectoryName(path)!, "archive-audit.jsonl"));
        var store = await PromptArchive.OpenAsync(path, archive.Key, audit, time, cancellationToken).ConfigureAwait(false);
        // Retention is enforced whenever the archive is opened (gateway start, every export), audited when it deletes.
        await store.PruneAsync(archive.Retention, cancellationToken).ConfigureAwait(false);
        return new PolicyRecorder(audit, owns, store);
    }

    public void Audit(string eventName, string userId, IReadOnlyList<(string Name, object? Value)> fields) => _audit?.Write(eventName, userId, [.. fields]);

    public Task ArchiveAsync(string requestId, DateTimeOffset time, string userId, string group, string model, string request, string response, CancellationToken cancellationToken) =>
        Archive is null ? Task.CompletedTask : Archive.StoreAsync(new ArchivedExchange(requestId, time, userId, group, model, request, response), cancellationToken);

    public void Dispose()
    {
        if (_ownsAudit)
        {
            _audit?.Dispose();
        }
    }
}
#endif
