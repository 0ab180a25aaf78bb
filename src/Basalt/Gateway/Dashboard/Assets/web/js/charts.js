// Thin helpers over Chart.js (vendored UMD build, window.Chart). Charts draw on canvas and set their size through
// the CSSOM, which the page's CSP allows. Animations are off: a dashboard is read, not watched, and screenshots
// and tests see the final picture at once.
import { h } from './dom.js';
import * as fmt from './format.js';

export const palette = {
  blue: '#2563eb',
  teal: '#0d9488',
  amber: '#d97706',
  rose: '#e11d48',
  violet: '#7c3aed',
  slate: '#64748b',
  green: '#16a34a',
  sky: '#0284c7',
};
const series = [palette.blue, palette.teal, palette.amber, palette.violet, palette.rose, palette.sky, palette.green, palette.slate, '#a16207', '#be185d'];
export const colorAt = (i) => series[i % series.length];

let configured = false;
function chartLib() {
  const Chart = window.Chart;
  if (!Chart) throw new Error('the chart library did not load (vendor/chart.umd.min.js)');
  if (!configured) {
    configured = true;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 11;
    Chart.defaults.color = '#475569';
    Chart.defaults.borderColor = '#e2e8f0';
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.plugins.legend.labels.boxWidth = 10;
    Chart.defaults.plugins.legend.labels.boxHeight = 10;
    Chart.defaults.plugins.tooltip.mode = 'index';
    Chart.defaults.plugins.tooltip.intersect = false;
  }
  return Chart;
}

const formatters = { money: fmt.money, tokens: fmt.tokens, int: fmt.int, pct: fmt.pct, ms: fmt.ms };
const axisFormatters = { money: fmt.moneyCompact, tokens: fmt.tokens, int: fmt.tokens, pct: fmt.pct, ms: fmt.ms };

/** A card holding one chart; `figure` is the canvas's sized box (CSS gives it its height). */
export function chartCard(title, subtitle, { tall = false, id } = {}) {
  const canvas = h('canvas', { role: 'img', 'aria-label': title });
  const box = h('div', { class: ['chart-box', tall && 'tall'] }, canvas);
  const el = h('section', { class: 'card chart-card', dataset: { chart: id ?? title } },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, title), subtitle ? h('span', { class: 'card-sub' }, subtitle) : null),
    box);
  return { el, canvas };
}

/**
 * Time series: labels are bucket instants; datasets [{ label, data, color, type: 'bar'|'line', axis: 'y'|'y1', stack }].
 * `units` names the formatter per axis: { y: 'money', y1: 'pct' }.
 */
export function timeSeries(canvas, bucket, points, datasets, units = { y: 'int' }) {
  const Chart = chartLib();
  const labels = points.map((p) => fmt.bucketLabel(p.t, bucket));
  const stacked = datasets.some((d) => d.stack);
  const scales = {
    x: { stacked, grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } },
    y: { stacked, beginAtZero: true, ticks: { callback: (v) => (axisFormatters[units.y] ?? fmt.int)(v) } },
  };
  if (units.y1) {
    scales.y1 = { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: (v) => (axisFormatters[units.y1] ?? fmt.int)(v) } };
  }
  return new Chart(canvas, {
    data: {
      labels,
      datasets: datasets.map((d, i) => ({
        type: d.type ?? 'bar',
        label: d.label,
        data: d.data,
        yAxisID: d.axis ?? 'y',
        stack: d.stack,
        backgroundColor: d.type === 'line' ? d.color ?? colorAt(i) : `${d.color ?? colorAt(i)}cc`,
        borderColor: d.color ?? colorAt(i),
        borderWidth: d.type === 'line' ? 2 : 0,
        pointRadius: d.type === 'line' && points.length < 40 ? 2 : 0,
        tension: 0.25,
        borderRadius: d.type === 'line' ? 0 : 2,
        order: d.type === 'line' ? 0 : 1,
        unit: d.unit ?? units[d.axis ?? 'y'],
      })),
    },
    options: {
      scales,
      plugins: {
        legend: { display: datasets.length > 1, position: 'bottom' },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${(formatters[ctx.dataset.unit] ?? fmt.int)(ctx.parsed.y)}` } },
      },
    },
  });
}

/** Horizontal bars for "top N" lists. */
export function topBars(canvas, rows, labelKey, valueKey, unit, color = palette.blue) {
  const Chart = chartLib();
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: rows.map((r) => r[labelKey]), datasets: [{ label: valueKey, data: rows.map((r) => r[valueKey]), backgroundColor: `${color}cc`, borderRadius: 2, unit }] },
    options: {
      indexAxis: 'y',
      scales: { x: { beginAtZero: true, ticks: { callback: (v) => (axisFormatters[unit] ?? fmt.int)(v) } }, y: { grid: { display: false } } },
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (ctx) => (formatters[unit] ?? fmt.int)(ctx.parsed.x) } } },
    },
  });
}

/** Share of a whole (per-model split). */
export function doughnut(canvas, rows, labelKey, valueKey, unit) {
  const Chart = chartLib();
  return new Chart(canvas, {
    type: 'doughnut',
    data: { labels: rows.map((r) => r[labelKey]), datasets: [{ data: rows.map((r) => r[valueKey]), backgroundColor: rows.map((_, i) => colorAt(i)), borderWidth: 1, borderColor: '#fff' }] },
    options: {
      cutout: '62%',
      plugins: {
        legend: { position: 'right' },
        tooltip: { mode: 'nearest', callbacks: { label: (ctx) => `${ctx.label}: ${(formatters[unit] ?? fmt.int)(ctx.parsed)}` } },
      },
    },
  });
}

/** Grouped bars comparing two sources per key (device-reported vs gateway-metered). */
export function groupedBars(canvas, labels, datasets, unit) {
  const Chart = chartLib();
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: datasets.map((d, i) => ({ label: d.label, data: d.data, backgroundColor: `${d.color ?? colorAt(i)}cc`, borderRadius: 2, unit })) },
    options: {
      scales: { x: { grid: { display: false } }, y: { beginAtZero: true, ticks: { callback: (v) => (axisFormatters[unit] ?? fmt.int)(v) } } },
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${(formatters[unit] ?? fmt.int)(ctx.parsed.y)}` } } },
    },
  });
}
