// The time range every page shows, chosen once in the top bar and kept for the next visit. Presets are relative to
// "now" in the viewer's zone; the API gets ISO 8601 UTC instants ([from, to), dash-contract §2).

const key = 'basalt.dashboard.range';
export const presets = [
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['mtd', 'Month to date'],
  ['90d', 'Last 90 days'],
];

let preset = localStorage.getItem(key) ?? '30d';
if (!presets.some(([p]) => p === preset)) preset = '30d';
const listeners = new Set();

export const rangePreset = () => preset;

export function setRangePreset(value) {
  preset = value;
  localStorage.setItem(key, value);
  for (const listener of listeners) listener();
}

export function onRangeChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** { from, to, bucket } for the API. */
export function range() {
  const now = new Date();
  const to = new Date(Math.ceil(now.getTime() / 60000) * 60000);
  let from;
  switch (preset) {
    case '24h': from = new Date(to.getTime() - 24 * 3600000); break;
    case '7d': from = new Date(to.getTime() - 7 * 86400000); break;
    case '90d': from = new Date(to.getTime() - 90 * 86400000); break;
    // Budgets' months are the server's (UTC by default); month to date here is the UTC month too.
    case 'mtd': from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)); break;
    default: from = new Date(to.getTime() - 30 * 86400000); break;
  }
  const hours = (to - from) / 3600000;
  return { from: from.toISOString(), to: to.toISOString(), bucket: hours <= 72 ? 'hour' : 'day' };
}
