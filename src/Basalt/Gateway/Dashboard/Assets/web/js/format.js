// Numbers, money and times in the viewer's locale and time zone (Intl). The API sends ISO 8601 UTC; nothing here
// assumes a zone.

const locale = undefined; // the browser's
export const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const usd = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
const usdCompact = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const hourLabel = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
// Day buckets are UTC days on the server: label them as such so a viewer west of Greenwich does not see "Nov 30"
// for the bucket of December 1.
const dayLabel = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateOnlyUtc = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
const dateOnly = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });

const missing = '—';
const num = (v) => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v));

export function money(v) {
  const n = num(v);
  if (n === null) return missing;
  return Math.abs(n) > 0 && Math.abs(n) < 1 ? usdSmall.format(n) : usd.format(n);
}

export function moneyCompact(v) {
  const n = num(v);
  if (n === null) return missing;
  return Math.abs(n) < 1000 ? money(n) : usdCompact.format(n);
}

export function int(v) {
  const n = num(v);
  return n === null ? missing : integer.format(n);
}

export function tokens(v) {
  const n = num(v);
  return n === null ? missing : Math.abs(n) < 10000 ? integer.format(n) : compact.format(n);
}

export function pct(v) {
  const n = num(v);
  return n === null ? missing : percent.format(n);
}

/** percentUsed from the API is already in percent (12.3 = 12.3 %). */
export function pctOf100(v) {
  const n = num(v);
  return n === null ? missing : percent.format(n / 100);
}

export function ms(v) {
  const n = num(v);
  if (n === null) return missing;
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10000 ? 0 : 1)} s` : `${integer.format(n)} ms`;
}

export function time(iso) {
  if (!iso) return missing;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTime.format(d);
}

export function timeExact(iso) {
  if (!iso) return missing;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTimeSeconds.format(d);
}

export function date(iso) {
  if (!iso) return missing;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateOnly.format(d);
}

/** A server period [start, end) in UTC days (budget months are UTC unless the budget names a zone). */
export function periodUtc(startIso, endIso) {
  if (!startIso || !endIso) return missing;
  const start = new Date(startIso);
  const last = new Date(new Date(endIso).getTime() - 1);
  return `${dateOnlyUtc.format(start)} – ${dateOnlyUtc.format(last)} (UTC)`;
}

export function bucketLabel(iso, bucket) {
  const d = new Date(iso);
  return bucket === 'day' ? dayLabel.format(d) : hourLabel.format(d);
}

/** "in 3 days", "2 hours ago" for the viewer. */
export function relative(iso) {
  if (!iso) return missing;
  const diff = new Date(iso).getTime() - Date.now();
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(diff);
  const units = [['day', 86400000], ['hour', 3600000], ['minute', 60000], ['second', 1000]];
  for (const [unit, size] of units) {
    if (abs >= size || unit === 'second') return rtf.format(Math.round(diff / size), unit);
  }
  return missing;
}
