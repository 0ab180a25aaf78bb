// Managed API keys: list (the secret is never listed), and for admins create / rotate / revoke. A new key's text is
// shown once, in a dialog with a Copy button, and is gone from the page when the dialog closes.
import { h, field, select } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { pageHead, statusBadge, toast, confirmDialog, secretDialog, segmented } from '../ui.js';
import { dataTable } from '../table.js';
import { keepInHash } from './people.js';

function createForm(onCreated) {
  const inputs = {
    name: h('input', { class: 'input', name: 'name', placeholder: 'ci-pipeline', required: true }),
    ownerKind: select('ownerKind', [['user', 'User'], ['group', 'Group']], 'user', { class: 'input' }),
    owner: h('input', { class: 'input', name: 'owner', placeholder: 'alice', required: true }),
    expires: h('input', { class: 'input', name: 'expiresAt', type: 'date' }),
    models: h('input', { class: 'input', name: 'allowedModels', placeholder: 'all models (or: claude-haiku-4-5, …)' }),
  };
  const message = h('p', { class: 'form-message', role: 'status' });
  const form = h('form', { class: 'card form-card', dataset: { form: 'create-key' }, novalidate: true },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Create a key'), h('span', { class: 'card-sub' }, 'the key text is shown once')),
    h('div', { class: 'form-grid' },
      field('Name', inputs.name),
      field('Owner kind', inputs.ownerKind),
      field('Owner', inputs.owner),
      field('Expires (optional)', inputs.expires, 'end of that day, your time'),
      field('Allowed models', inputs.models, 'comma-separated; empty = the owner\'s models')),
    h('div', { class: 'form-actions' }, message, h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'create-key' } }, 'Create key')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    message.classList.remove('error');
    const name = inputs.name.value.trim();
    const owner = inputs.owner.value.trim();
    if (!name || !owner) {
      message.textContent = 'A key needs a name and an owner.';
      message.classList.add('error');
      return;
    }
    let expiresAt = null;
    if (inputs.expires.value) {
      const [y, m, d] = inputs.expires.value.split('-').map(Number);
      expiresAt = new Date(y, m - 1, d, 23, 59, 59).toISOString();
    }
    const body = {
      name,
      ownerKind: inputs.ownerKind.value,
      owner,
      expiresAt,
      allowedModels: inputs.models.value.split(',').map((s) => s.trim()).filter(Boolean),
    };
    try {
      const created = await api.send('POST', '/keys', body);
      form.reset();
      await secretDialog(`Key ${created.key?.name ?? name} created`, created.text);
      onCreated();
    } catch (error) {
      message.textContent = error.message;
      message.classList.add('error');
    }
  });
  return form;
}

export default async function keys(ctx) {
  const filters = { status: ctx.params.get('status') ?? 'active', q: ctx.params.get('q') ?? '' };
  const search = h('input', { type: 'search', class: 'input', placeholder: 'Name, owner or prefix', value: filters.q, 'aria-label': 'Find a key' });
  let timer;
  const statusControl = segmented('Status', [['active', 'Active'], ['revoked', 'Revoked'], ['expired', 'Expired'], ['all', 'All']], filters.status, (v) => { filters.status = v; keepInHash(filters); table.refresh(); });
  const table = dataTable({
    id: 'keys',
    title: 'API keys',
    endpoint: '/keys',
    params: () => ({ status: filters.status, q: filters.q }),
    sort: 'createdAt',
    columns: [
      { key: 'name', label: 'Name' },
      { key: 'prefix', label: 'Prefix', render: (k) => h('code', null, k.prefix) },
      { key: 'owner', label: 'Owner', render: (k) => `${k.ownerKind === 'group' ? 'group ' : ''}${k.owner}` },
      { key: 'createdAt', label: 'Created', type: 'time' },
      { key: 'lastUsedAt', label: 'Last used', type: 'time' },
      { key: 'expiresAt', label: 'Expires', type: 'time' },
      { key: 'allowedModels', label: 'Models', render: (k) => (k.allowedModels?.length ? k.allowedModels.join(', ') : 'owner\'s models') },
      { key: 'status', label: 'Status', render: (k) => statusBadge(k.status), title: (k) => (k.revokedAt ? `revoked ${fmt.time(k.revokedAt)}` : undefined) },
    ],
    actions: ctx.canWrite ? (k) => (k.status !== 'active' ? [] : [
      h('button', {
        type: 'button',
        class: 'btn btn-ghost btn-small',
        dataset: { action: 'rotate', key: k.id },
        onclick: async () => {
          if (!await confirmDialog(`Rotate ${k.name}?`, 'A new key replaces this one, which is revoked at once. Callers need the new key text.', 'Rotate key')) return;
          try {
            const rotated = await api.send('POST', `/keys/${encodeURIComponent(k.id)}/rotate`);
            await secretDialog(`Key ${rotated.key?.name ?? k.name} rotated`, rotated.text);
            table.reload();
          } catch (error) { toast(error.message, 'bad'); }
        },
      }, 'Rotate'),
      h('button', {
        type: 'button',
        class: 'btn btn-ghost btn-small danger',
        dataset: { action: 'revoke', key: k.id },
        onclick: async () => {
          if (!await confirmDialog(`Revoke ${k.name}?`, 'Every request with this key is refused from now on. This cannot be undone.', 'Revoke key', { danger: true })) return;
          try { await api.send('POST', `/keys/${encodeURIComponent(k.id)}/revoke`); toast(`Key ${k.name} revoked.`); table.reload(); } catch (error) { toast(error.message, 'bad'); }
        },
      }, 'Revoke'),
    ]) : null,
    tools: [statusControl, search],
    empty: 'No key matches.',
    disabledText: 'No managed key store is configured (identity.managedKeys).',
  });
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { filters.q = search.value.trim(); keepInHash(filters); table.refresh(); }, 300); });
  ctx.main.append(pageHead('API keys', ctx.canWrite ? 'Keys for scripts and tools; people sign in with their organisation account.' : 'Read-only: only admins create, rotate or revoke keys.'));
  if (ctx.canWrite) ctx.main.append(createForm(() => table.refresh()));
  ctx.main.append(table.el);
  await table.reload();
}
