using System.Net;

namespace Basalt.Policy.Pii.Detectors;

/// <summary>IPv4 dotted quads and IPv6 text forms (RFC 4291 §2.2), the latter confirmed by <see cref="IPAddress"/>.</summary>
internal sealed class IpAddressDetector : PiiDetector
{
    public override PiiCategory Category => PiiCategory.IpAddress;

    public override void Find(string text, List<PiiMatch> matches)
    {
        for (var m = BuiltInPatterns.IPv4().Match(text); m.Success; m = m.NextMatch())
        {
            matches.Add(new PiiMatch(Category, m.Index, m.Length, Rule));
        }

        // IPv6 needs a colon; start just before the first one (the candidate class includes every hex letter of prose).
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return;
        }

        for (var m = BuiltInPatterns.IPv6Candidate().Match(text, Math.Max(0, colon - 40)); m.Success; m = m.NextMatch())
        {
            var value = m.ValueSpan;
            if (value.ContainsAnyInRange('0', '9') || value.ContainsAnyInRange('a', 'f') || value.ContainsAnyInRange('A', 'F'))
            {
                if (IPAddress.TryParse(value, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                {
                    matches.Add(new PiiMatch(Category, m.Index, m.Length, Rule));
                }
            }
        }
    }
}
