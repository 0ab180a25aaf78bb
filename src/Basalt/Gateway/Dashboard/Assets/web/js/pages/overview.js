// Overview: spend and tokens over time, month to date against budget, requests and error rate, top users and models.
import { h } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { range } from '../state.js';
import { kpi, burnMeter, pageHead, emptyNote } from '../ui.js';
import { chartCard, timeSeries, topBars, doughnut, palette } from '../charts.js';
import { dataTable } from '../table.js';

export default async function overview(ctx) {
  const r = range();
  const scope = ctx.session.role === 'team-lead' ? `Your teams: ${(ctx.session.teams ?? []).join(', ')}` : 'Every user, group and model';
  ctx.main.append(pageHead('Overview', `${scope} · ${fmt.time(r.from)} – ${fmt.time(r.to)}`));
  const data = await api.get('/overview', r);
  if (!ctx.current()) return;
  const t = data.totals ?? {};
  const mtd = data.monthToDate ?? {};
  const series = data.series ?? [];

  ctx.main.append(h('div', { class: 'kpis' },
    kpi('Spend', fmt.money(t.costUsd), `${fmt.int(t.requests)} requests`, { id: 'spend' }),
    kpi('Tokens', fmt.tokens(t.tokens), `${fmt.tokens(t.inputTokens)} in · ${fmt.tokens(t.outputTokens)} out · ${fmt.tokens(t.cacheReadTokens)} cache read`, { id: 'tokens' }),
    kpi('Requests', fmt.int(t.requests), `${fmt.int(t.errors)} errors · ${fmt.int(t.refused)} refused`, { id: 'requests' }),
    kpi('Error rate', fmt.pct(t.errorRate ?? (t.requests ? t.errors / t.requests : null)), 'upstream errors and invalid requests', { id: 'error-rate', tone: (t.errorRate ?? 0) > 0.05 ? 'bad' : undefined }),
    h('div', { class: 'kpi kpi-wide', dataset: { kpi: 'month-to-date' } },
      h('div', { class: 'kpi-label' }, 'Month to date', h('span', { class: 'muted' }, ` · ${fmt.periodUtc(mtd.periodStart, mtd.periodEnd)}`)),
      burnMeter(mtd.costUsd ?? 0, mtd.budgetUsd, mtd.projectedUsd, null),
      h('div', { class: 'kpi-sub' }, mtd.budgetUsd === null || mtd.budgetUsd === undefined
        ? `No monthly organisation budget · projected ${fmt.money(mtd.projectedUsd)} by month end`
        : `Budget ${mtd.budgetId ?? ''} · projected ${fmt.money(mtd.projectedUsd)} by month end`))));

  const bucketNote = data.bucket === 'day' ? 'per UTC day' : 'per hour';
  const spend = chartCard('Spend', bucketNote, { id: 'spend' });
  const tokenChart = chartCard('Tokens', bucketNote, { id: 'tokens' });
  const requests = chartCard('Requests and error rate', bucketNote, { id: 'requests' });
  ctx.main.append(h('div', { class: 'grid grid-3' }, spend.el, tokenChart.el, requests.el));
  if (series.length === 0) {
    spend.el.append(emptyNote('No requests in this range.'));
  }
  ctx.chart(timeSeries(spend.canvas, data.bucket, series, [{ label: 'Spend', data: series.map((p) => p.costUsd), color: palette.blue }], { y: 'money' }));
  ctx.chart(timeSeries(tokenChart.canvas, data.bucket, series, [
    { label: 'Input', data: series.map((p) => p.inputTokens), color: palette.blue, stack: 't' },
    { label: 'Output', data: series.map((p) => p.outputTokens), color: palette.teal, stack: 't' },
    { label: 'Cache read', data: series.map((p) => p.cacheReadTokens), color: palette.violet, stack: 't' },
    { label: 'Cache write', data: series.map((p) => p.cacheWriteTokens), color: palette.amber, stack: 't' },
  ], { y: 'tokens' }));
  ctx.chart(timeSeries(requests.canvas, data.bucket, series, [
    { label: 'Requests', data: series.map((p) => p.requests), color: palette.slate },
    { label: 'Refused', data: series.map((p) => p.refused), color: palette.amber },
    { label: 'Error rate', type: 'line', axis: 'y1', data: series.map((p) => (p.requests ? p.errors / p.requests : 0)), color: palette.rose, unit: 'pct' },
  ], { y: 'int', y1: 'pct' }));

  const topUsers = data.topUsers ?? [];
  const topModels = data.topModels ?? [];
  const usersChart = chartCard('Top users by spend', null, { id: 'top-users' });
  const modelsChart = chartCard('Top models by spend', null, { id: 'top-models' });
  ctx.main.append(h('div', { class: 'grid grid-2' }, usersChart.el, modelsChart.el));
  ctx.chart(topBars(usersChart.canvas, topUsers, 'user', 'costUsd', 'money', palette.blue));
  ctx.chart(doughnut(modelsChart.canvas, topModels, 'model', 'costUsd', 'money'));

  const usersTable = dataTable({
    id: 'top-users',
    title: 'Top users',
    columns: [
      { key: 'user', label: 'User' },
      { key: 'requests', label: 'Requests', type: 'int' },
      { key: 'tokens', label: 'Tokens', type: 'tokens' },
      { key: 'costUsd', label: 'Spend', type: 'money' },
    ],
    sort: 'costUsd',
    pageSize: 10,
    load: async () => topUsers,
    csv: () => api.csvUrl('/users', { from: r.from, to: r.to, sort: 'costUsd', order: 'desc' }),
    href: (row) => `#/users/${encodeURIComponent(row.user)}`,
  });
  const modelsTable = dataTable({
    id: 'top-models',
    title: 'Top models',
    columns: [
      { key: 'model', label: 'Model' },
      { key: 'requests', label: 'Requests', type: 'int' },
      { key: 'tokens', label: 'Tokens', type: 'tokens' },
      { key: 'costUsd', label: 'Spend', type: 'money' },
    ],
    sort: 'costUsd',
    pageSize: 10,
    load: async () => topModels,
  });
  ctx.main.append(h('div', { class: 'grid grid-2' }, usersTable.el, modelsTable.el));
  await Promise.all([usersTable.reload(), modelsTable.reload()]);
}
