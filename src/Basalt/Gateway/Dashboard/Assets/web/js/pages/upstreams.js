// Upstream health: breaker state (this replica's), traffic, failures and latency over a recent window (every
// replica's, from the store).
import { h, clear } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { pageHead, statusBadge, segmented, emptyNote } from '../ui.js';
import { dataTable } from '../table.js';
import { keepInHash } from './people.js';

export default async function upstreams(ctx) {
  let minutes = Number(ctx.params.get('window') ?? 60);
  if (![15, 60, 360, 1440].includes(minutes)) minutes = 60;
  const cards = h('div', { class: 'upstreams' });
  let items = [];
  const table = dataTable({
    id: 'upstreams',
    title: 'Upstreams',
    load: async () => items,
    sort: 'name',
    order: 'asc',
    columns: [
      { key: 'name', label: 'Upstream' },
      { key: 'region', label: 'Region' },
      { key: 'breaker', label: 'Breaker', render: (u) => statusBadge(u.breaker) },
      { key: 'requests', label: 'Requests', type: 'int' },
      { key: 'failures', label: 'Failures', type: 'int' },
      { key: 'errorRate', label: 'Error rate', type: 'pct' },
      { key: 'p50Ms', label: 'p50', type: 'ms' },
      { key: 'p99Ms', label: 'p99', type: 'ms' },
      { key: 'ttfbP50Ms', label: 'TTFB p50', type: 'ms' },
      { key: 'ttfbP99Ms', label: 'TTFB p99', type: 'ms' },
      { key: 'lastFailureAt', label: 'Last failure', type: 'time' },
    ],
    empty: 'No upstream is configured.',
  });

  async function load() {
    const data = await api.get('/upstreams', { window: minutes });
    items = data.items ?? [];
    clear(cards);
    if (items.length === 0) cards.append(emptyNote('No upstream is configured.'));
    for (const u of items) {
      cards.append(h('section', { class: ['card', 'upstream', `breaker-${u.breaker}`], dataset: { upstream: u.name } },
        h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, u.name, h('span', { class: 'muted' }, ` ${u.region ?? ''}`)), statusBadge(u.breaker)),
        h('dl', { class: 'stats' },
          h('div', null, h('dt', null, 'Requests'), h('dd', null, fmt.int(u.requests))),
          h('div', null, h('dt', null, 'Error rate'), h('dd', { class: (u.errorRate ?? 0) > 0.05 && 'bad' }, fmt.pct(u.errorRate))),
          h('div', null, h('dt', null, 'p50 / p99'), h('dd', null, `${fmt.ms(u.p50Ms)} / ${fmt.ms(u.p99Ms)}`)),
          h('div', null, h('dt', null, 'First byte p50 / p99'), h('dd', null, `${fmt.ms(u.ttfbP50Ms)} / ${fmt.ms(u.ttfbP99Ms)}`))),
        h('p', { class: 'muted small' }, u.lastFailureAt ? `Last failure ${fmt.relative(u.lastFailureAt)} (${fmt.time(u.lastFailureAt)})` : 'No failure in this window')));
    }
    await table.refresh();
  }

  ctx.main.append(
    pageHead('Upstream health', 'Breaker states are this replica\'s; traffic and latency are every replica\'s.',
      segmented('Window', [['15', '15 min'], ['60', '1 hour'], ['360', '6 hours'], ['1440', '24 hours']], String(minutes), (v) => { minutes = Number(v); keepInHash({ window: v }); load(); }),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', dataset: { action: 'refresh' }, onclick: () => load() }, 'Refresh')),
    cards,
    table.el);
  await load();
}
