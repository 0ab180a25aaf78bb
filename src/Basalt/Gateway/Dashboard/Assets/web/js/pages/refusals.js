// Refusals (budgets, rate limits, model access, content policy) and errors (upstream failures, invalid requests),
// filterable by kind, user, group, model and reason; filters live in the URL so a link can point at a slice.
import { h } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { range } from '../state.js';
import { pageHead, badge, segmented } from '../ui.js';
import { dataTable } from '../table.js';
import { keepInHash } from './people.js';

export default async function refusals(ctx) {
  const r = range();
  const names = ['kind', 'user', 'group', 'model', 'reason'];
  const filters = Object.fromEntries(names.map((n) => [n, ctx.params.get(n) ?? '']));
  if (!filters.kind) filters.kind = 'all';
  const text = (name, placeholder) => {
    const input = h('input', { type: 'search', class: 'input input-narrow', name, placeholder, value: filters[name], 'aria-label': placeholder });
    let timer;
    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { filters[name] = input.value.trim(); changed(); }, 300); });
    return input;
  };
  const reason = h('select', { class: 'input input-narrow', name: 'reason', 'aria-label': 'Reason' }, h('option', { value: '' }, 'Any reason'));
  reason.addEventListener('change', () => { filters.reason = reason.value; changed(); });
  const chips = h('div', { class: 'chips', dataset: { section: 'reasons' } });
  const table = dataTable({
    id: 'refusals',
    title: 'Refusals and errors',
    endpoint: '/refusals',
    params: () => ({ from: r.from, to: r.to, ...filters }),
    sort: 'time',
    columns: [
      { key: 'time', label: 'Time', render: (x) => fmt.timeExact(x.time) },
      { key: 'user', label: 'User', render: (x) => (x.user ? h('a', { href: `#/users/${encodeURIComponent(x.user)}` }, x.user) : '—') },
      { key: 'groups', label: 'Groups', type: 'list', sortable: false },
      { key: 'model', label: 'Model' },
      { key: 'status', label: 'Status', render: (x) => badge(String(x.status), x.status >= 500 ? 'bad' : x.status === 429 ? 'warn' : 'neutral') },
      { key: 'outcome', label: 'Outcome', sortable: false },
      { key: 'reason', label: 'Reason', sortable: false },
      { key: 'upstream', label: 'Upstream', sortable: false, render: (x) => (x.upstream ? `${x.upstream}${x.region ? ` (${x.region})` : ''}` : '—') },
      { key: 'durationMs', label: 'Duration', type: 'ms', sortable: false },
      { key: 'requestId', label: 'Request id', sortable: false, render: (x) => h('code', { class: 'small' }, x.requestId) },
    ],
    tools: [
      segmented('Kind', [['all', 'All'], ['refused', 'Refused'], ['errors', 'Errors']], filters.kind, (v) => { filters.kind = v; changed(); }),
      text('user', 'User'), text('group', 'Group'), text('model', 'Model'), reason,
    ],
    empty: 'Nothing was refused and nothing failed in this range.',
  });
  function changed() {
    keepInHash(filters);
    table.refresh();
  }
  ctx.main.append(pageHead('Refusals and errors', `${fmt.time(r.from)} – ${fmt.time(r.to)}`), chips, table.el);
  const reasons = await api.get('/refusals/reasons', { from: r.from, to: r.to }).catch(() => ({ items: [] }));
  const seen = new Set();
  for (const item of reasons.items ?? []) {
    chips.append(h('button', {
      type: 'button',
      class: ['chip', filters.reason === item.reason && 'active'],
      dataset: { reason: item.reason },
      onclick: () => { filters.reason = filters.reason === item.reason ? '' : item.reason; reason.value = filters.reason; for (const c of chips.children) c.classList.toggle('active', c.dataset.reason === filters.reason); changed(); },
    }, h('span', { class: 'chip-label' }, item.reason), h('span', { class: 'chip-outcome' }, item.outcome), h('span', { class: 'chip-count' }, fmt.int(item.count))));
    if (!seen.has(item.reason)) {
      seen.add(item.reason);
      reason.append(h('option', { value: item.reason, selected: item.reason === filters.reason }, item.reason));
    }
  }
  await table.reload();
}
