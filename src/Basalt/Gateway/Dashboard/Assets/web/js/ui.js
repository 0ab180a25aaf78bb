// Small shared pieces: KPI tiles, badges, budget meters, dialogs, toasts, error banners.
import { h, clear, setWidth, setLeft } from './dom.js';
import * as fmt from './format.js';

export function kpi(label, value, sub, { tone, id } = {}) {
  return h('div', { class: ['kpi', tone && `tone-${tone}`], dataset: { kpi: id ?? label } },
    h('div', { class: 'kpi-label' }, label),
    h('div', { class: 'kpi-value' }, value),
    sub ? h('div', { class: 'kpi-sub' }, sub) : null);
}

export function badge(text, tone = 'neutral') {
  return h('span', { class: ['badge', `badge-${tone}`] }, text);
}

const statusTone = { ok: 'ok', soft: 'warn', exceeded: 'bad', active: 'ok', revoked: 'bad', expired: 'muted', closed: 'ok', open: 'bad', 'half-open': 'warn' };
export const statusBadge = (status) => badge(status ?? '—', statusTone[status] ?? 'neutral');

/**
 * A budget burn bar: used / limit, a marker at the projected end-of-period figure and the soft threshold.
 * Fractions over 1 are clipped to the bar and shown in the text.
 */
export function burnMeter(used, limit, projected, softPercent, format = fmt.money) {
  if (limit === null || limit === undefined || limit <= 0) {
    return h('div', { class: 'burn' }, h('div', { class: 'burn-text' }, `${format(used)} used`, h('span', { class: 'muted' }, ' · no limit')));
  }
  const usedFraction = (used ?? 0) / limit;
  const projectedFraction = projected === null || projected === undefined ? null : projected / limit;
  const tone = usedFraction >= 1 ? 'bad' : softPercent && usedFraction * 100 >= softPercent ? 'warn' : projectedFraction !== null && projectedFraction > 1 ? 'warn' : 'ok';
  const track = h('div', { class: 'burn-track' }, setWidth(h('div', { class: ['burn-fill', `tone-${tone}`] }), usedFraction));
  if (softPercent) track.append(setLeft(h('div', { class: 'burn-soft', title: `soft limit at ${softPercent}%` }), softPercent / 100));
  if (projectedFraction !== null) track.append(setLeft(h('div', { class: ['burn-projection', projectedFraction > 1 && 'over'], title: `projected ${format(projected)} by the end of the period` }), Math.min(projectedFraction, 1)));
  return h('div', { class: 'burn', dataset: { tone } },
    track,
    h('div', { class: 'burn-text' },
      h('strong', null, format(used)), ` of ${format(limit)}`,
      h('span', { class: 'muted' }, ` · ${fmt.pct(usedFraction)}`),
      projectedFraction !== null ? h('span', { class: ['projection', projectedFraction > 1 && 'over'] }, ` · projected ${format(projected)}`) : null));
}

export function errorBanner(error) {
  const detail = error?.status ? `${error.status} ${error.code ?? ''}`.trim() : null;
  return h('div', { class: 'banner banner-error', role: 'alert' }, h('strong', null, 'Could not load this page. '), error?.message ?? String(error), detail ? h('span', { class: 'muted' }, ` (${detail})`) : null);
}

let toastHost;
export function toast(message, tone = 'ok') {
  if (!toastHost) {
    toastHost = h('div', { class: 'toasts', 'aria-live': 'polite' });
    document.body.append(toastHost);
  }
  const t = h('div', { class: ['toast', `toast-${tone}`], role: tone === 'bad' ? 'alert' : 'status' }, message);
  toastHost.append(t);
  setTimeout(() => t.remove(), tone === 'bad' ? 8000 : 4000);
}

/** A modal <dialog>: resolves true when confirmed. */
export function confirmDialog(title, message, confirmLabel, { danger = false } = {}) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' },
      h('h2', { id: 'dialog-title' }, title),
      h('p', null, message),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'btn btn-ghost', dataset: { action: 'cancel' }, onclick: () => dialog.close('cancel') }, 'Cancel'),
        h('button', { type: 'button', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], dataset: { action: 'confirm' }, onclick: () => dialog.close('confirm') }, confirmLabel)));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'confirm'); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * Shows a secret exactly once (a new API key): read-only field, Copy button, and a reminder that it cannot be shown
 * again. The text is dropped from the DOM when the dialog closes.
 */
export function secretDialog(title, secret, note) {
  return new Promise((resolve) => {
    const input = h('input', { class: 'secret', type: 'text', readonly: true, value: secret, 'aria-label': 'API key', spellcheck: 'false', autocomplete: 'off' });
    const copied = h('span', { class: 'copied', role: 'status' });
    const copy = h('button', {
      type: 'button',
      class: 'btn btn-primary',
      dataset: { action: 'copy' },
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(secret);
        } catch {
          // No clipboard permission (an insecure origin or a locked-down browser): select it for Ctrl+C instead.
          input.select();
          document.execCommand('copy');
        }
        copied.textContent = 'Copied to the clipboard';
      },
    }, 'Copy');
    const dialog = h('dialog', { class: 'dialog dialog-secret', 'aria-labelledby': 'secret-title' },
      h('h2', { id: 'secret-title' }, title),
      h('p', null, note ?? 'Copy the key now: it is shown only this once and cannot be retrieved later.'),
      h('div', { class: 'secret-row' }, input, copy),
      copied,
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn btn-ghost', dataset: { action: 'done' }, onclick: () => dialog.close() }, 'Done')));
    dialog.addEventListener('close', () => { input.value = ''; dialog.remove(); resolve(); });
    document.body.append(dialog);
    dialog.showModal();
    input.select();
  });
}

/** A segmented control: [[value, label]] → onchange(value). */
export function segmented(name, options, value, onchange) {
  const el = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': name });
  for (const [v, label] of options) {
    el.append(h('button', {
      type: 'button',
      role: 'radio',
      class: v === value && 'active',
      'aria-checked': String(v === value),
      dataset: { value: v },
      onclick: () => {
        for (const b of el.children) { b.classList.toggle('active', b.dataset.value === v); b.setAttribute('aria-checked', String(b.dataset.value === v)); }
        onchange(v);
      },
    }, label));
  }
  return el;
}

export function pageHead(title, subtitle, ...tools) {
  return h('div', { class: 'page-head' },
    h('div', null, h('h1', null, title), subtitle ? h('p', { class: 'page-sub' }, subtitle) : null),
    h('div', { class: 'page-tools' }, tools));
}

export function emptyNote(text) {
  return h('p', { class: 'empty-note' }, text);
}

export { clear };
