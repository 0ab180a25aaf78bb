// Sortable, paged tables with a CSV export link. Two modes:
//  - server: `endpoint` + `params()`; sort/order/limit/offset go to the API (dash-contract §2), so a table over
//    millions of records stays fast and the CSV link carries the same filters and sort;
//  - local: `load()` returns every row (short lists such as rate limits); sorting and paging happen here.
import { h, clear } from './dom.js';
import * as api from './api.js';
import * as fmt from './format.js';

const numericTypes = new Set(['money', 'int', 'tokens', 'pct', 'pct100', 'ms']);

/** RFC 4180 text with formula-injection protection (a leading = + - @ tab or CR gets a quote mark), as the API's. */
export function toCsv(rows, columns) {
  const cols = columns.filter((c) => c.key);
  const cell = (v) => {
    let text = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [cols.map((c) => cell(c.key)).join(','), ...rows.map((r) => cols.map((c) => cell(r[c.key])).join(','))].join('\r\n') + '\r\n';
}

function localCsv(rows, columns) {
  return URL.createObjectURL(new Blob([toCsv(rows, columns)], { type: 'text/csv;charset=utf-8' }));
}

export function formatCell(type, value) {
  switch (type) {
    case 'money': return fmt.money(value);
    case 'int': return fmt.int(value);
    case 'tokens': return fmt.tokens(value);
    case 'pct': return fmt.pct(value);
    case 'pct100': return fmt.pctOf100(value);
    case 'ms': return fmt.ms(value);
    case 'time': return fmt.time(value);
    case 'date': return fmt.date(value);
    case 'list': return Array.isArray(value) ? (value.length ? value.join(', ') : '—') : value ?? '—';
    default: return value === null || value === undefined || value === '' ? '—' : String(value);
  }
}

/**
 * @param {object} o
 * @param {string} o.id               stable id (data-table attribute, used by tests and CSV file names)
 * @param {string} o.title
 * @param {Array}  o.columns          [{ key, label, type, render(row), sortable, title(row) }]
 * @param {string} [o.endpoint]       server mode: API path, e.g. '/users'
 * @param {Function} [o.params]       server mode: () => filter params
 * @param {Function} [o.load]         local mode: async () => rows
 * @param {Function} [o.csv]          local mode: () => CSV URL (or null)
 * @param {Function} [o.href]         row → link (drill-down)
 * @param {Function} [o.actions]      row → array of buttons (admin only; callers decide)
 * @param {Array}    [o.tools]        extra controls for the table header (filters)
 */
export function dataTable(o) {
  const state = { sort: o.sort ?? null, order: o.order ?? 'desc', limit: o.pageSize ?? 25, offset: 0, total: 0, rows: [], all: null };
  const count = h('span', { class: 'table-count' });
  const csv = h('a', { class: 'btn btn-ghost btn-small', download: '', title: 'Download every matching row as CSV' }, 'CSV');
  const thead = h('thead');
  const tbody = h('tbody');
  const pager = h('div', { class: 'pager' });
  const status = h('div', { class: 'table-status', role: 'status' });
  const el = h('section', { class: 'card table-card', dataset: { table: o.id } },
    h('header', { class: 'card-head' },
      h('h2', { class: 'card-title' }, o.title, ' ', count),
      h('div', { class: 'card-tools' }, o.tools ?? [], csv)),
    h('div', { class: 'table-scroll' }, h('table', { class: 'data' }, thead, tbody)),
    status,
    pager);

  function renderHead() {
    clear(thead);
    const row = h('tr');
    for (const c of o.columns) {
      const numeric = numericTypes.has(c.type);
      const sortable = c.sortable !== false && c.key && !c.render?.noSort;
      const active = state.sort === c.key;
      const th = h('th', {
        class: [numeric && 'num', active && 'sorted'],
        scope: 'col',
        'aria-sort': active ? (state.order === 'asc' ? 'ascending' : 'descending') : undefined,
      });
      if (sortable) {
        th.append(h('button', {
          class: 'sort',
          type: 'button',
          dataset: { sort: c.key },
          onclick: () => {
            if (state.sort === c.key) state.order = state.order === 'asc' ? 'desc' : 'asc';
            else { state.sort = c.key; state.order = numeric || c.type === 'time' ? 'desc' : 'asc'; }
            state.offset = 0;
            reload();
          },
        }, c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (state.order === 'asc' ? '▲' : '▼') : '↕')));
      } else {
        th.append(c.label);
      }
      row.append(th);
    }
    if (o.actions) row.append(h('th', { class: 'actions', scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')));
    thead.append(row);
  }

  function renderRows() {
    clear(tbody);
    if (state.rows.length === 0) {
      tbody.append(h('tr', { class: 'empty' }, h('td', { colspan: o.columns.length + (o.actions ? 1 : 0) }, o.empty ?? 'Nothing in this range.')));
    }
    for (const r of state.rows) {
      const link = o.href?.(r);
      const tr = h('tr', { class: link && 'linked' });
      o.columns.forEach((c, i) => {
        const value = c.render ? c.render(r) : formatCell(c.type, r[c.key]);
        const content = i === 0 && link ? h('a', { href: link }, value) : value;
        tr.append(h('td', { class: numericTypes.has(c.type) && 'num', title: c.title?.(r) }, content));
      });
      if (o.actions) tr.append(h('td', { class: 'actions' }, o.actions(r)));
      if (link) {
        tr.addEventListener('click', (e) => {
          if (e.target.closest('a, button, input, select')) return;
          location.hash = link.slice(link.indexOf('#'));
        });
      }
      tbody.append(tr);
    }
  }

  function renderPager() {
    clear(pager);
    const first = state.total === 0 ? 0 : state.offset + 1;
    const last = Math.min(state.offset + state.rows.length, state.total);
    count.textContent = `(${fmt.int(state.total)})`;
    const size = h('select', { class: 'page-size', 'aria-label': 'Rows per page', onchange: (e) => { state.limit = Number(e.target.value); state.offset = 0; reload(); } },
      [10, 25, 50, 100, 250].map((n) => h('option', { value: n, selected: n === state.limit }, `${n} / page`)));
    pager.append(
      h('span', { class: 'pager-range' }, `${fmt.int(first)}–${fmt.int(last)} of ${fmt.int(state.total)}`),
      size,
      h('button', { class: 'btn btn-ghost btn-small', type: 'button', 'data-page': 'prev', disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - state.limit); reload(); } }, '‹ Prev'),
      h('button', { class: 'btn btn-ghost btn-small', type: 'button', 'data-page': 'next', disabled: last >= state.total, onclick: () => { state.offset += state.limit; reload(); } }, 'Next ›'));
  }

  function sortLocal(rows) {
    if (!state.sort) return rows;
    const dir = state.order === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = a[state.sort];
      const y = b[state.sort];
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir;
    });
  }

  let generation = 0;
  async function reload() {
    const mine = ++generation;
    el.dataset.state = 'loading';
    renderHead();
    status.textContent = '';
    try {
      if (o.endpoint) {
        const params = { ...(o.params?.() ?? {}), sort: state.sort ?? undefined, order: state.sort ? state.order : undefined };
        csv.href = api.csvUrl(o.endpoint, params);
        const page = await api.get(o.endpoint, { ...params, limit: state.limit, offset: state.offset });
        if (mine !== generation) return;
        state.rows = page.items ?? [];
        state.total = page.total ?? state.rows.length;
        if (page.enabled === false && o.disabledText) status.textContent = o.disabledText;
      } else {
        if (state.all === null || state.reloadAll) state.all = await o.load();
        if (mine !== generation) return;
        state.reloadAll = false;
        const sorted = sortLocal(state.all);
        state.total = sorted.length;
        if (state.offset >= state.total) state.offset = 0;
        state.rows = sorted.slice(state.offset, state.offset + state.limit);
        // Local tables export what they hold (every row, this sort) as a CSV file made here.
        const href = o.csv?.() ?? localCsv(sorted, o.columns);
        if (csv.href.startsWith('blob:')) URL.revokeObjectURL(csv.href);
        csv.href = href;
        csv.download = `${o.id}.csv`;
      }
      renderRows();
      renderPager();
      el.dataset.state = 'ready';
    } catch (error) {
      if (mine !== generation) return;
      state.rows = [];
      renderRows();
      status.textContent = error.message;
      status.classList.add('error');
      el.dataset.state = 'error';
      throw error;
    }
  }

  renderHead();
  return {
    el,
    reload: () => reload(),
    /** Reload from the first page (filters changed); in local mode also fetch rows again. */
    refresh: () => { state.offset = 0; state.reloadAll = true; return reload(); },
    rows: () => state.rows,
  };
}
