// Budgets and rate limits: what applies, how much of each budget is burnt, and (admins only) set, reset, delete.
// Viewers and team leads never see the controls, and the server refuses their mutations anyway (dash-contract §1).
import { h, field, select } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { burnMeter, pageHead, statusBadge, toast, confirmDialog, badge } from '../ui.js';
import { dataTable } from '../table.js';

const numberOrNull = (v) => (v === '' || v === null || v === undefined ? null : Number(v));

function budgetForm(onSaved) {
  const form = h('form', { class: 'card form-card', dataset: { form: 'budget' }, novalidate: true });
  const inputs = {
    id: h('input', { class: 'input', name: 'id', required: true, pattern: '[A-Za-z0-9._-]{1,64}', placeholder: 'eng-monthly' }),
    scope: select('scope', [['group', 'Group'], ['user', 'User'], ['key', 'API key'], ['org', 'Organisation']], 'group', { class: 'input' }),
    value: h('input', { class: 'input', name: 'value', placeholder: 'engineering (or * for each member)' }),
    period: select('period', [['month', 'Month'], ['week', 'Week'], ['day', 'Day']], 'month', { class: 'input' }),
    limitUsd: h('input', { class: 'input', name: 'limitUsd', type: 'number', min: '0', step: '0.01', placeholder: '100.00' }),
    limitTokens: h('input', { class: 'input', name: 'limitTokens', type: 'number', min: '0', step: '1', placeholder: 'optional' }),
    softPercent: h('input', { class: 'input', name: 'softPercent', type: 'number', min: '1', max: '100', step: '1', value: '80' }),
    timeZone: h('input', { class: 'input', name: 'timeZone', value: 'UTC', placeholder: 'UTC or Europe/Paris' }),
  };
  const message = h('p', { class: 'form-message', role: 'status' });
  inputs.scope.addEventListener('change', () => { inputs.value.disabled = inputs.scope.value === 'org'; if (inputs.value.disabled) inputs.value.value = '*'; });
  form.append(
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Set a budget'), h('span', { class: 'card-sub' }, 'takes effect on the next request, on every replica')),
    h('div', { class: 'form-grid' },
      field('Id', inputs.id),
      field('Scope', inputs.scope),
      field('Applies to', inputs.value),
      field('Period', inputs.period),
      field('Limit (USD)', inputs.limitUsd),
      field('Limit (tokens)', inputs.limitTokens),
      field('Soft warning at %', inputs.softPercent),
      field('Time zone', inputs.timeZone)),
    h('div', { class: 'form-actions' }, message, h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'save-budget' } }, 'Save budget')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    message.classList.remove('error');
    const id = inputs.id.value.trim();
    const body = {
      scope: inputs.scope.value,
      value: inputs.scope.value === 'org' ? '*' : inputs.value.value.trim(),
      period: inputs.period.value,
      limitUsd: numberOrNull(inputs.limitUsd.value),
      limitTokens: numberOrNull(inputs.limitTokens.value),
      softPercent: numberOrNull(inputs.softPercent.value),
      timeZone: inputs.timeZone.value.trim() || 'UTC',
    };
    const problem = !/^[A-Za-z0-9._-]{1,64}$/.test(id) ? 'The id is 1–64 letters, digits, dots, dashes or underscores.'
      : !body.value ? 'Name the user, group or key this budget applies to (or * for each member).'
        : body.limitUsd === null && body.limitTokens === null ? 'Give a limit in USD, in tokens, or both.' : null;
    if (problem) {
      message.textContent = problem;
      message.classList.add('error');
      return;
    }
    try {
      const saved = await api.send('PUT', `/budgets/${encodeURIComponent(id)}`, body);
      toast(`Budget ${saved.id ?? id} saved.`);
      onSaved();
    } catch (error) {
      message.textContent = error.message;
      message.classList.add('error');
    }
  });
  return {
    el: form,
    edit(b) {
      inputs.id.value = b.id;
      inputs.scope.value = b.scope;
      inputs.value.value = b.value;
      inputs.value.disabled = b.scope === 'org';
      inputs.period.value = b.period;
      inputs.limitUsd.value = b.limitUsd ?? '';
      inputs.limitTokens.value = b.limitTokens ?? '';
      inputs.softPercent.value = b.softPercent ?? '';
      inputs.timeZone.value = b.timeZone ?? 'UTC';
      form.scrollIntoView({ block: 'center' });
      inputs.limitUsd.focus();
    },
  };
}

function rateLimitForm(onSaved) {
  const form = h('form', { class: 'card form-card', dataset: { form: 'rate-limit' }, novalidate: true });
  const inputs = {
    scope: select('scope', [['user', 'User'], ['group', 'Group'], ['key', 'API key'], ['org', 'Organisation']], 'user', { class: 'input' }),
    value: h('input', { class: 'input', name: 'value', value: '*', placeholder: '* for each member' }),
    requestsPerMinute: h('input', { class: 'input', name: 'requestsPerMinute', type: 'number', min: '1', step: '1', placeholder: 'none' }),
    inputTokensPerMinute: h('input', { class: 'input', name: 'inputTokensPerMinute', type: 'number', min: '1', step: '1', placeholder: 'none' }),
    outputTokensPerMinute: h('input', { class: 'input', name: 'outputTokensPerMinute', type: 'number', min: '1', step: '1', placeholder: 'none' }),
    concurrentStreams: h('input', { class: 'input', name: 'concurrentStreams', type: 'number', min: '1', step: '1', placeholder: 'none' }),
  };
  inputs.scope.addEventListener('change', () => { inputs.value.disabled = inputs.scope.value === 'org'; if (inputs.value.disabled) inputs.value.value = '*'; });
  const message = h('p', { class: 'form-message', role: 'status' });
  form.append(
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Set a rate limit'), h('span', { class: 'card-sub' }, 'one per scope and value; replaces a configured one, on every replica')),
    h('div', { class: 'form-grid' },
      field('Scope', inputs.scope),
      field('Applies to', inputs.value),
      field('Requests / min', inputs.requestsPerMinute),
      field('Input tokens / min', inputs.inputTokensPerMinute),
      field('Output tokens / min', inputs.outputTokensPerMinute),
      field('Concurrent streams', inputs.concurrentStreams)),
    h('div', { class: 'form-actions' }, message, h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'save-rate-limit' } }, 'Save rate limit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    message.classList.remove('error');
    const scope = inputs.scope.value;
    const value = scope === 'org' ? '*' : inputs.value.value.trim() || '*';
    const body = {
      requestsPerMinute: numberOrNull(inputs.requestsPerMinute.value),
      inputTokensPerMinute: numberOrNull(inputs.inputTokensPerMinute.value),
      outputTokensPerMinute: numberOrNull(inputs.outputTokensPerMinute.value),
      concurrentStreams: numberOrNull(inputs.concurrentStreams.value),
    };
    try {
      // The id is scope:value; the server checks every field and its refusal is shown below the form.
      await api.send('PUT', `/rate-limits/${encodeURIComponent(`${scope}:${value}`)}`, body);
      toast(`Rate limit for ${scope} ${value} saved.`);
      onSaved();
    } catch (error) {
      message.textContent = error.message;
      message.classList.add('error');
    }
  });
  return {
    el: form,
    edit(l) {
      inputs.scope.value = l.scope;
      inputs.value.value = l.value;
      inputs.value.disabled = l.scope === 'org';
      for (const k of ['requestsPerMinute', 'inputTokensPerMinute', 'outputTokensPerMinute', 'concurrentStreams']) inputs[k].value = l[k] ?? '';
      form.scrollIntoView({ block: 'center' });
    },
  };
}

export default async function budgets(ctx) {
  ctx.main.append(pageHead('Budgets and rate limits', ctx.canWrite
    ? 'Changes are written to the audit log and apply to the next request.'
    : 'Read-only: only admins change budgets and limits.'));
  let form;
  let limitForm;
  const table = dataTable({
    id: 'budgets',
    title: 'Budgets',
    endpoint: '/budgets',
    params: () => ({}),
    sort: 'percentUsed',
    columns: [
      { key: 'id', label: 'Budget' },
      { key: 'scope', label: 'Scope', render: (b) => `${b.scope} ${b.value}` },
      { key: 'period', label: 'Period', render: (b) => `${b.period} · ${b.timeZone}` },
      { key: 'percentUsed', label: 'Burn', render: (b) => (b.limitUsd !== null && b.limitUsd !== undefined
        ? burnMeter(b.usedUsd, b.limitUsd, b.projectedUsd, b.softPercent)
        : b.limitTokens !== null && b.limitTokens !== undefined ? burnMeter(b.usedTokens, b.limitTokens, b.projectedTokens, b.softPercent, (v) => `${fmt.tokens(v)} tok`) : '—') },
      { key: 'status', label: 'Status', render: (b) => statusBadge(b.status) },
      { key: 'periodEnd', label: 'Resets', type: 'time' },
      { key: 'source', label: 'Source', render: (b) => badge(b.source, b.source === 'store' ? 'accent' : 'neutral') },
    ],
    actions: ctx.canWrite ? (b) => [
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', dataset: { action: 'edit' }, onclick: () => form.edit(b) }, 'Edit'),
      h('button', {
        type: 'button',
        class: 'btn btn-ghost btn-small',
        dataset: { action: 'reset' },
        onclick: async () => {
          if (!await confirmDialog(`Reset ${b.id}?`, `Usage so far this ${b.period} is forgiven for ${b.scope} ${b.value}; the change is audited.`, 'Reset budget')) return;
          try { await api.send('POST', `/budgets/${encodeURIComponent(b.id)}/reset`); toast(`Budget ${b.id} reset.`); table.reload(); } catch (error) { toast(error.message, 'bad'); }
        },
      }, 'Reset'),
      b.source === 'store' ? h('button', {
        type: 'button',
        class: 'btn btn-ghost btn-small danger',
        dataset: { action: 'delete' },
        onclick: async () => {
          if (!await confirmDialog(`Delete ${b.id}?`, 'The budget stops applying at the next request.', 'Delete budget', { danger: true })) return;
          try { await api.send('DELETE', `/budgets/${encodeURIComponent(b.id)}`); toast(`Budget ${b.id} deleted.`); table.reload(); } catch (error) { toast(error.message, 'bad'); }
        },
      }, 'Delete') : null,
    ] : null,
    empty: 'No budget is configured.',
  });
  const limits = dataTable({
    id: 'rate-limits',
    title: 'Rate limits',
    load: async () => (await api.get('/rate-limits')).items ?? [],
    csv: () => api.csvUrl('/rate-limits', {}),
    sort: 'scope',
    order: 'asc',
    columns: [
      { key: 'id', label: 'Limit' },
      { key: 'scope', label: 'Scope' },
      { key: 'value', label: 'Applies to' },
      { key: 'requestsPerMinute', label: 'Requests / min', type: 'int' },
      { key: 'inputTokensPerMinute', label: 'Input tok / min', type: 'tokens' },
      { key: 'outputTokensPerMinute', label: 'Output tok / min', type: 'tokens' },
      { key: 'concurrentStreams', label: 'Streams', type: 'int' },
      { key: 'source', label: 'Source', render: (l) => badge(l.source, l.source === 'store' ? 'accent' : 'neutral') },
    ],
    actions: ctx.canWrite ? (l) => [
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', dataset: { action: 'edit' }, onclick: () => limitForm.edit(l) }, 'Edit'),
      l.source === 'store' ? h('button', {
        type: 'button',
        class: 'btn btn-ghost btn-small danger',
        dataset: { action: 'delete' },
        onclick: async () => {
          if (!await confirmDialog(`Delete the rate limit for ${l.scope} ${l.value}?`, 'It stops applying at the next request.', 'Delete', { danger: true })) return;
          try { await api.send('DELETE', `/rate-limits/${encodeURIComponent(l.id)}`); toast(`Rate limit ${l.id} deleted.`); limits.refresh(); } catch (error) { toast(error.message, 'bad'); }
        },
      }, 'Delete') : null,
    ] : null,
    empty: 'No rate limit is configured.',
  });
  ctx.main.append(table.el);
  if (ctx.canWrite) {
    form = budgetForm(() => table.reload());
    ctx.main.append(form.el);
  }
  ctx.main.append(limits.el);
  if (ctx.canWrite) {
    limitForm = rateLimitForm(() => limits.refresh());
    ctx.main.append(limitForm.el);
  }
  await Promise.all([table.reload(), limits.reload()]);
}
