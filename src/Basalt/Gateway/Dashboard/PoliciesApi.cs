using Basalt.Policy.Pii;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// Each gateway group's content policy as it is in force now (issue 12 shown on the dashboard, issue 11): models,
/// PII action per category, custom pattern names, the Bedrock guardrail, whether the group's prompts are archived,
/// and routing aliases and rewrites. Read from the running policy, so a reload shows at once; never the archive key
/// or a pattern's expression. Team leads see their teams' groups.
/// </summary>
internal static class PoliciesApi
{
    private static readonly string[] Columns = ["group", "models", "archive", "pii", "customPatterns", "guardrail", "aliases", "rewrites", "restoreInAnswers", "scanAnswers"];

    public static Task<DashboardResult> ListAsync(DashboardRequest r, GatewayHandler gateway)
    {
        var paging = r.Paging("group", Columns, defaultDescending: false);
        var scope = r.Session.Scope;
        var rows = gateway.Policy.Groups.Values
            .Where(g => scope is null || scope.Contains(g.Name, StringComparer.Ordinal))
            .Select(g =>
            {
                var p = g.Policy;
                var pii = p.Pii?.Actions.OrderBy(a => PiiCategoryNames.ConfigurationWord(a.Key), StringComparer.Ordinal).Select(a => $"{PiiCategoryNames.ConfigurationWord(a.Key)}:{ActionText(a.Value)}").ToList() ?? [];
                return (object?[])
                [
                    g.Name, g.Models, p.Archive, pii,
                    p.Pii?.CustomPatterns.Select(c => $"{c.Name}:{ActionText(c.Action)}").ToList() ?? [],
                    p.Guardrail is { } gr ? $"{gr.Identifier}:{gr.Version}{(gr.Trace ? " (trace)" : string.Empty)}" : null,
                    p.Routing.Aliases.Select(a => $"{a.Name}→{a.Default}").Order(StringComparer.Ordinal).ToList(),
                    p.Routing.Rewrites.Select(w => $"{w.From}→{w.To ?? "refused"}").Order(StringComparer.Ordinal).ToList(),
                    p.Pii?.RestoreInResponse, p.Pii?.ScanResponsesForSecrets,
                ];
            })
            .ToList();
        return Task.FromResult(DashboardResult.Of(new DashboardTable("policies", Columns, paging.SortAndPage(rows, Columns), rows.Count, paging)));
    }

    private static string ActionText(PiiAction action) => action switch
    {
        PiiAction.Mask => "mask",
        PiiAction.Block => "block",
        _ => "log-only",
    };
}
