// Device-reported usage (OTLP from Claude Code / Claude Desktop) beside what the gateway metered: a device that
// reports much more than the gateway saw is going around it.
import { h } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { range } from '../state.js';
import { pageHead, segmented } from '../ui.js';
import { chartCard, groupedBars, palette } from '../charts.js';
import { dataTable } from '../table.js';
import { keepInHash } from './people.js';

function gap(row) {
  const g = row.gatewayTokens ?? 0;
  const d = row.deviceTokens ?? 0;
  if (g === 0 && d === 0) return null;
  return (d - g) / Math.max(g, 1);
}

export default async function devices(ctx) {
  const r = range();
  let by = ctx.params.get('by') ?? 'user';
  if (!['user', 'model', 'day'].includes(by)) by = 'user';
  const chart = chartCard('Tokens: device-reported vs gateway-metered', 'largest 12', { id: 'devices' });
  let instance;
  const table = dataTable({
    id: 'devices',
    title: 'Device-reported vs gateway-metered',
    endpoint: '/devices',
    params: () => ({ from: r.from, to: r.to, by }),
    sort: 'deviceTokens',
    columns: [
      { key: 'key', label: 'Key', render: (x) => (by === 'day' ? fmt.date(x.key) : by === 'user' ? h('a', { href: `#/users/${encodeURIComponent(x.key)}` }, x.key) : x.key) },
      { key: 'gatewayRequests', label: 'Gateway requests', type: 'int' },
      { key: 'deviceRequests', label: 'Device requests', type: 'int' },
      { key: 'gatewayTokens', label: 'Gateway tokens', type: 'tokens' },
      { key: 'deviceTokens', label: 'Device tokens', type: 'tokens' },
      { key: 'gap', label: 'Device − gateway', sortable: false, render: (x) => { const v = gap(x); return h('span', { class: v !== null && Math.abs(v) > 0.1 ? 'warn-text' : '' }, v === null ? '—' : `${v > 0 ? '+' : ''}${fmt.pct(v)}`); } },
      { key: 'gatewayCostUsd', label: 'Gateway spend', type: 'money' },
      { key: 'deviceCostUsd', label: 'Device spend', type: 'money' },
    ],
    empty: 'No device reported usage in this range (devices send OTLP to /v1/logs).',
  });

  async function load() {
    const top = await api.get('/devices', { from: r.from, to: r.to, by, sort: by === 'day' ? 'key' : 'deviceTokens', order: by === 'day' ? 'asc' : 'desc', limit: by === 'day' ? 90 : 12 });
    instance?.destroy();
    const rows = top.items ?? [];
    instance = ctx.chart(groupedBars(chart.canvas, rows.map((x) => (by === 'day' ? fmt.date(x.key) : x.key)), [
      { label: 'Gateway-metered', data: rows.map((x) => x.gatewayTokens), color: palette.blue },
      { label: 'Device-reported', data: rows.map((x) => x.deviceTokens), color: palette.amber },
    ], 'tokens'));
    await table.refresh();
  }

  ctx.main.append(
    pageHead('Device-reported vs gateway-metered', `${fmt.time(r.from)} – ${fmt.time(r.to)}`,
      segmented('Group by', [['user', 'User'], ['model', 'Model'], ['day', 'Day']], by, (v) => { by = v; keepInHash({ by: v }); load(); })),
    chart.el,
    table.el);
  await load();
}
