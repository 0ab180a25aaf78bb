namespace Basalt.Emulator.Faults;

/// <summary>
/// Decides which fault, if any, a request gets. The <c>x-basalt-fault</c> header wins; otherwise the first
/// configured rule that applies and fires. Percentage rules draw from one <see cref="Random"/> seeded with
/// <see cref="FaultOptions.Seed"/>, one draw per applicable request, so a given seed and request order always
/// produce the same sequence of faults.
/// </summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly int[] _fired;

    public FaultInjector(FaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _random = new Random(options.Seed);
        _fired = new int[options.Rules.Count];
    }

    public FaultOptions Options { get; }

    /// <summary>True when some rule filters on an STS operation, so the STS action must be read from the form body.</summary>
    public bool NeedsStsOperation => Options.Rules.Any(r => r.Operations.Count > 0 && (r.Services.Count == 0 || r.Services.Contains(EmulatedService.Sts)));

    /// <summary>The fault from configured rules for <paramref name="operation"/>, or null.</summary>
    public FaultSpec? FromRules(EmulatedOperation operation)
    {
        lock (_gate)
        {
            for (var i = 0; i < Options.Rules.Count; i++)
            {
                var rule = Options.Rules[i];
                if (!rule.Applies(operation) || (rule.Times is { } cap && _fired[i] >= cap))
                {
                    continue;
                }

                if (rule.Percent < 100 && _random.NextDouble() * 100 >= rule.Percent)
                {
                    continue;
                }

                _fired[i]++;
                return rule.Spec;
            }
        }

        return null;
    }
}
