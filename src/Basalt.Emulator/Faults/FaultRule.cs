namespace Basalt.Emulator.Faults;

/// <summary>
/// A configured fault: which requests it applies to (services and operations; empty = all), the share of those
/// requests it hits (<see cref="Percent"/>, drawn from the seeded sequence) and an optional cap on how many times
/// it fires (<see cref="Times"/>, e.g. "fail the first two calls, then succeed").
/// </summary>
internal sealed record FaultRule(FaultSpec Spec, IReadOnlySet<EmulatedService> Services, IReadOnlySet<string> Operations, double Percent, int? Times)
{
    public bool Applies(EmulatedOperation operation)
        => operation.Service != EmulatedService.None
            && (Services.Count == 0 || Services.Contains(operation.Service))
            && (Operations.Count == 0 || Operations.Contains(operation.Operation));
}
