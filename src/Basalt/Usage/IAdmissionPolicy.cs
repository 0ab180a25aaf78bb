namespace Basalt.Usage;

/// <summary>
/// Budgets and rate limits, asked before the upstream call (issue 10 items 5–6). The gateway calls
/// <see cref="AdmitAsync"/> after authentication and model resolution; when admitted it holds the returned
/// <see cref="AdmissionTicket"/> for the life of the request and completes it with the metered usage, which
/// reconciles the estimate and releases concurrency slots. The default policy admits everything.
/// </summary>
public interface IAdmissionPolicy
{
    ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken);
}
