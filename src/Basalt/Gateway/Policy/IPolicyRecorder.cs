namespace Basalt.Gateway.Policy;

/// <summary>
/// Where policy events go: the audit log (what fired, for whom — never content) and, for archiving groups, the
/// encrypted prompt archive. Implemented by the host over <c>AuditLog</c> and <c>PromptArchive</c>.
/// </summary>
public interface IPolicyRecorder
{
    /// <summary>An archive is open: groups may archive.</summary>
    bool CanArchive { get; }

    void Audit(string eventName, string userId, IReadOnlyList<(string Name, object? Value)> fields);

    Task ArchiveAsync(string requestId, DateTimeOffset time, string userId, string group, string model, string request, string response, CancellationToken cancellationToken);
}
