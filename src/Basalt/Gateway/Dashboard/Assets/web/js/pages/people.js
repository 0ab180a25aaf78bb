// Users and groups: sortable lists, and a drill-down per user or group (spend over time, per-model split, budget
// burn with the projection to the end of the period, top users of a group).
import { h } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { range } from '../state.js';
import { kpi, burnMeter, pageHead, statusBadge, emptyNote, badge } from '../ui.js';
import { chartCard, timeSeries, doughnut, palette } from '../charts.js';
import { dataTable } from '../table.js';

const usage = [
  { key: 'requests', label: 'Requests', type: 'int' },
  { key: 'inputTokens', label: 'Input', type: 'tokens' },
  { key: 'outputTokens', label: 'Output', type: 'tokens' },
  { key: 'cacheReadTokens', label: 'Cache read', type: 'tokens' },
  { key: 'cacheWriteTokens', label: 'Cache write', type: 'tokens' },
  { key: 'tokens', label: 'Tokens', type: 'tokens' },
  { key: 'costUsd', label: 'Spend', type: 'money' },
  { key: 'errors', label: 'Errors', type: 'int' },
  { key: 'refused', label: 'Refused', type: 'int' },
];

function tabs(active) {
  return h('div', { class: 'tabs', role: 'tablist' },
    h('a', { href: '#/users', role: 'tab', class: active === 'users' && 'active', 'aria-selected': String(active === 'users') }, 'Users'),
    h('a', { href: '#/groups', role: 'tab', class: active === 'groups' && 'active', 'aria-selected': String(active === 'groups') }, 'Groups'));
}

function debounced(fn, ms = 300) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

/** Keeps a page's filters in the hash query without a reload (replaceState fires no hashchange). */
export function keepInHash(params) {
  const path = location.hash.split('?')[0] || '#/';
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const text = search.toString();
  history.replaceState(null, '', `${location.pathname}${path}${text ? `?${text}` : ''}`);
}

export async function usersPage(ctx) {
  const r = range();
  const filters = { q: ctx.params.get('q') ?? '', group: ctx.params.get('group') ?? '' };
  const search = h('input', { type: 'search', class: 'input', placeholder: 'Find a user', value: filters.q, 'aria-label': 'Find a user' });
  const groupSelect = h('select', { class: 'input', 'aria-label': 'Group' }, h('option', { value: '' }, 'All groups'));
  const table = dataTable({
    id: 'users',
    title: 'Users',
    endpoint: '/users',
    params: () => ({ from: r.from, to: r.to, q: filters.q, group: filters.group }),
    columns: [{ key: 'user', label: 'User' }, { key: 'group', label: 'Group', sortable: false, render: (row) => row.group ?? '—' }, ...usage],
    sort: 'costUsd',
    href: (row) => `#/users/${encodeURIComponent(row.user)}`,
    tools: [search, groupSelect],
    empty: 'No user made a request in this range.',
  });
  search.addEventListener('input', debounced(() => { filters.q = search.value.trim(); keepInHash(filters); table.refresh(); }));
  groupSelect.addEventListener('change', () => { filters.group = groupSelect.value; keepInHash(filters); table.refresh(); });
  ctx.main.append(pageHead('Users and groups', `${fmt.time(r.from)} – ${fmt.time(r.to)}`), tabs('users'), table.el);
  const groups = await api.get('/groups', { from: r.from, to: r.to, limit: 1000, sort: 'group', order: 'asc' }).catch(() => ({ items: [] }));
  for (const g of groups.items ?? []) groupSelect.append(h('option', { value: g.group, selected: g.group === filters.group }, g.group));
  await table.reload();
}

export async function groupsPage(ctx) {
  const r = range();
  const filters = { q: ctx.params.get('q') ?? '' };
  const search = h('input', { type: 'search', class: 'input', placeholder: 'Find a group', value: filters.q, 'aria-label': 'Find a group' });
  const table = dataTable({
    id: 'groups',
    title: 'Groups',
    endpoint: '/groups',
    params: () => ({ from: r.from, to: r.to, q: filters.q }),
    columns: [{ key: 'group', label: 'Group' }, { key: 'users', label: 'Users', type: 'int' }, ...usage],
    sort: 'costUsd',
    href: (row) => `#/groups/${encodeURIComponent(row.group)}`,
    tools: [search],
    empty: 'No group made a request in this range.',
  });
  search.addEventListener('input', debounced(() => { filters.q = search.value.trim(); keepInHash(filters); table.refresh(); }));
  // Each group's content policy as in force now (issue 12): which groups archive prompts, PII actions, guardrail,
  // routing. Configured groups, not the range's usage: it has no time filter.
  const policies = dataTable({
    id: 'policies',
    title: 'Content policy per group',
    endpoint: '/policies',
    params: () => ({}),
    columns: [
      { key: 'group', label: 'Group' },
      { key: 'models', label: 'Models', type: 'list' },
      { key: 'archive', label: 'Prompt archive', render: (p) => archiveBadge(p.archive) },
      { key: 'pii', label: 'PII', type: 'list' },
      { key: 'customPatterns', label: 'Custom patterns', type: 'list' },
      { key: 'guardrail', label: 'Bedrock guardrail' },
      { key: 'aliases', label: 'Routing aliases', type: 'list' },
      { key: 'rewrites', label: 'Rewrites', type: 'list' },
    ],
    sort: 'group',
    order: 'asc',
    href: (p) => `#/groups/${encodeURIComponent(p.group)}`,
    empty: 'No group is configured.',
  });
  ctx.main.append(pageHead('Users and groups', `${fmt.time(r.from)} – ${fmt.time(r.to)}`), tabs('groups'), table.el, policies.el);
  await Promise.all([table.reload(), policies.reload()]);
}

const archiveBadge = (on) => (on ? badge('archives prompts', 'warn') : badge('no archive', 'muted'));
const listText = (v) => (Array.isArray(v) && v.length ? v.join(', ') : '—');

function budgetCards(budgets) {
  if (!budgets || budgets.length === 0) return emptyNote('No budget applies here.');
  return h('div', { class: 'budget-list' }, budgets.map((b) => h('div', { class: 'budget-row', dataset: { budget: b.id } },
    h('div', { class: 'budget-name' },
      h('strong', null, b.id), ' ', statusBadge(b.status),
      h('div', { class: 'muted' }, `${b.scope} ${b.value} · per ${b.period} (${b.timeZone}) · resets ${fmt.time(b.periodEnd)}`)),
    b.limitUsd !== null && b.limitUsd !== undefined
      ? burnMeter(b.usedUsd, b.limitUsd, b.projectedUsd, b.softPercent)
      : burnMeter(b.usedTokens, b.limitTokens, b.projectedTokens, b.softPercent, (v) => `${fmt.tokens(v)} tokens`))));
}

function detailKpis(t) {
  return h('div', { class: 'kpis' },
    kpi('Spend', fmt.money(t.costUsd), null, { id: 'spend' }),
    kpi('Tokens', fmt.tokens(t.tokens), `${fmt.tokens(t.inputTokens)} in · ${fmt.tokens(t.outputTokens)} out`, { id: 'tokens' }),
    kpi('Requests', fmt.int(t.requests), `${fmt.int(t.errors)} errors · ${fmt.int(t.refused)} refused`, { id: 'requests' }),
    kpi('Error rate', fmt.pct(t.errorRate ?? (t.requests ? t.errors / t.requests : null)), null, { id: 'error-rate' }));
}

function modelSplit(ctx, models, id) {
  const chart = chartCard('Per-model split', 'share of spend', { id: `${id}-models` });
  const table = dataTable({
    id: `${id}-models`,
    title: 'Models',
    columns: [
      { key: 'model', label: 'Model' },
      { key: 'requests', label: 'Requests', type: 'int' },
      { key: 'inputTokens', label: 'Input', type: 'tokens' },
      { key: 'outputTokens', label: 'Output', type: 'tokens' },
      { key: 'tokens', label: 'Tokens', type: 'tokens' },
      { key: 'costUsd', label: 'Spend', type: 'money' },
      { key: 'share', label: 'Share', type: 'pct' },
    ],
    sort: 'costUsd',
    pageSize: 10,
    load: async () => models,
  });
  ctx.main.append(h('div', { class: 'grid grid-2-1' }, table.el, chart.el));
  ctx.chart(doughnut(chart.canvas, models, 'model', 'costUsd', 'money'));
  return table.reload();
}

export async function userDetail(ctx) {
  const r = range();
  const id = ctx.arg;
  ctx.main.append(pageHead(id, 'User', h('a', { class: 'btn btn-ghost btn-small', href: '#/users' }, '‹ All users'),
    h('a', { class: 'btn btn-ghost btn-small', href: `#/refusals?user=${encodeURIComponent(id)}` }, 'Refusals and errors')));
  const data = await api.get(`/users/${encodeURIComponent(id)}`, r);
  if (!ctx.current()) return;
  const series = data.series ?? [];
  ctx.main.append(detailKpis(data.totals ?? {}));
  const spend = chartCard('Spend and tokens', data.bucket === 'day' ? 'per UTC day' : 'per hour', { id: 'user-series', tall: true });
  ctx.main.append(h('div', { class: 'grid grid-2-1' }, spend.el, h('section', { class: 'card', dataset: { section: 'budgets' } },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Budget burn'), h('span', { class: 'card-sub' }, 'projected to the end of each period')),
    budgetCards(data.budgets))));
  ctx.chart(timeSeries(spend.canvas, data.bucket, series, [
    { label: 'Spend', data: series.map((p) => p.costUsd), color: palette.blue },
    { label: 'Tokens', type: 'line', axis: 'y1', data: series.map((p) => p.inputTokens + p.outputTokens + p.cacheReadTokens + p.cacheWriteTokens), color: palette.teal, unit: 'tokens' },
  ], { y: 'money', y1: 'tokens' }));
  await modelSplit(ctx, data.models ?? [], 'user');
}

export async function groupDetail(ctx) {
  const r = range();
  const name = ctx.arg;
  ctx.main.append(pageHead(name, 'Group', h('a', { class: 'btn btn-ghost btn-small', href: '#/groups' }, '‹ All groups'),
    h('a', { class: 'btn btn-ghost btn-small', href: `#/users?group=${encodeURIComponent(name)}` }, 'Users of this group'),
    h('a', { class: 'btn btn-ghost btn-small', href: `#/refusals?group=${encodeURIComponent(name)}` }, 'Refusals and errors')));
  const [data, policies] = await Promise.all([api.get(`/groups/${encodeURIComponent(name)}`, r), api.get('/policies', { limit: 1000 })]);
  if (!ctx.current()) return;
  const policy = (policies.items ?? []).find((p) => p.group === name);
  if (policy) {
    ctx.main.append(h('div', { class: 'policy-line', dataset: { section: 'policy' } },
      archiveBadge(policy.archive),
      h('span', null, `Models: ${listText(policy.models)}`),
      h('span', null, `PII: ${listText(policy.pii)}`),
      policy.guardrail ? h('span', null, `Guardrail: ${policy.guardrail}`) : null,
      policy.aliases?.length || policy.rewrites?.length ? h('span', null, `Routing: ${listText([...(policy.aliases ?? []), ...(policy.rewrites ?? [])])}`) : null));
  }
  const series = data.series ?? [];
  ctx.main.append(detailKpis(data.totals ?? {}));
  const spend = chartCard('Spend and tokens', data.bucket === 'day' ? 'per UTC day' : 'per hour', { id: 'group-series', tall: true });
  ctx.main.append(h('div', { class: 'grid grid-2-1' }, spend.el, h('section', { class: 'card', dataset: { section: 'budgets' } },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Budget burn'), h('span', { class: 'card-sub' }, 'projected to the end of each period')),
    budgetCards(data.budgets))));
  ctx.chart(timeSeries(spend.canvas, data.bucket, series, [
    { label: 'Spend', data: series.map((p) => p.costUsd), color: palette.blue },
    { label: 'Tokens', type: 'line', axis: 'y1', data: series.map((p) => p.inputTokens + p.outputTokens + p.cacheReadTokens + p.cacheWriteTokens), color: palette.teal, unit: 'tokens' },
  ], { y: 'money', y1: 'tokens' }));
  const top = dataTable({
    id: 'group-users',
    title: 'Top users in this group',
    columns: [
      { key: 'user', label: 'User' },
      { key: 'requests', label: 'Requests', type: 'int' },
      { key: 'tokens', label: 'Tokens', type: 'tokens' },
      { key: 'costUsd', label: 'Spend', type: 'money' },
    ],
    sort: 'costUsd',
    pageSize: 10,
    load: async () => data.topUsers ?? [],
    csv: () => api.csvUrl('/users', { from: r.from, to: r.to, group: name, sort: 'costUsd', order: 'desc' }),
    href: (row) => `#/users/${encodeURIComponent(row.user)}`,
  });
  ctx.main.append(top.el);
  await Promise.all([top.reload(), modelSplit(ctx, data.models ?? [], 'group')]);
}
