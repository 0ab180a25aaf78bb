// The audit log: every dashboard change (budgets, limits, keys, sign-in/out) with who, what and when.
import { h } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { range } from '../state.js';
import { pageHead } from '../ui.js';
import { dataTable } from '../table.js';
import { keepInHash } from './people.js';

export default async function audit(ctx) {
  const r = range();
  const filters = { event: ctx.params.get('event') ?? '', actor: ctx.params.get('actor') ?? '' };
  const event = h('select', { class: 'input input-narrow', 'aria-label': 'Event' }, h('option', { value: '' }, 'Every event'));
  const actor = h('input', { type: 'search', class: 'input input-narrow', placeholder: 'Actor', value: filters.actor, 'aria-label': 'Actor' });
  const table = dataTable({
    id: 'audit',
    title: 'Audit log',
    endpoint: '/audit',
    params: () => ({ from: r.from, to: r.to, ...filters }),
    sort: 'time',
    columns: [
      { key: 'time', label: 'Time', render: (x) => fmt.timeExact(x.time) },
      { key: 'event', label: 'Event', render: (x) => h('code', null, x.event) },
      { key: 'actor', label: 'Actor' },
      { key: 'target', label: 'Target' },
      { key: 'details', label: 'Details', sortable: false, render: (x) => h('code', { class: 'small details' }, x.details ? JSON.stringify(x.details) : '') },
    ],
    tools: [event, actor],
    empty: 'No audited change in this range.',
  });
  event.addEventListener('change', () => { filters.event = event.value; keepInHash(filters); table.refresh(); });
  let timer;
  actor.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { filters.actor = actor.value.trim(); keepInHash(filters); table.refresh(); }, 300); });
  ctx.main.append(pageHead('Audit log', `${fmt.time(r.from)} – ${fmt.time(r.to)}`), table.el);
  const events = await api.get('/audit/events').catch(() => ({ items: [] }));
  for (const e of events.items ?? []) event.append(h('option', { value: e, selected: e === filters.event }, e));
  await table.reload();
}
