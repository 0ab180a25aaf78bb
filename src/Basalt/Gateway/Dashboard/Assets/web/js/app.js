// The dashboard shell: session, navigation (hash routes), the time-range picker, sign-in and sign-out. Pages live in
// ./pages/*.js and render into <main>; main[data-state] says loading/ready/error (the browser tests wait on it).
import { h, clear } from './dom.js';
import * as api from './api.js';
import * as fmt from './format.js';
import { presets, rangePreset, setRangePreset, onRangeChange } from './state.js';
import { errorBanner, toast, badge } from './ui.js';
import overview from './pages/overview.js';
import { usersPage, groupsPage, userDetail, groupDetail } from './pages/people.js';
import budgets from './pages/budgets.js';
import keys from './pages/keys.js';
import refusals from './pages/refusals.js';
import upstreams from './pages/upstreams.js';
import devices from './pages/devices.js';
import audit from './pages/audit.js';

const returnKey = 'basalt.dashboard.return';

// [route, nav label, page, uses the range picker, visible to]
const routes = [
  { path: 'overview', label: 'Overview', page: overview, range: true },
  { path: 'users', label: 'Users', page: usersPage, range: true },
  { path: 'groups', label: 'Groups', page: groupsPage, range: true },
  { path: 'budgets', label: 'Budgets & limits', page: budgets, range: false },
  { path: 'keys', label: 'API keys', page: keys, range: false },
  { path: 'refusals', label: 'Refusals & errors', page: refusals, range: true },
  { path: 'upstreams', label: 'Upstream health', page: upstreams, range: false },
  { path: 'devices', label: 'Device vs gateway', page: devices, range: true },
  { path: 'audit', label: 'Audit log', page: audit, range: true, hiddenFor: ['team-lead'] },
];

const root = document.getElementById('app');
let session = null;
let main;
let nav;
let rangeSelect;
let charts = [];
let renderGeneration = 0;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [pathPart, queryPart] = raw.split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(queryPart ?? '') };
}

function routeFor(parts) {
  const name = parts[0] ?? 'overview';
  if (name === 'users' && parts[1]) return { route: routes.find((r) => r.path === 'users'), page: userDetail, arg: parts[1] };
  if (name === 'groups' && parts[1]) return { route: routes.find((r) => r.path === 'groups'), page: groupDetail, arg: parts[1] };
  const route = routes.find((r) => r.path === name && !(r.hiddenFor ?? []).includes(session.role));
  return route ? { route, page: route.page } : null;
}

async function render() {
  const mine = ++renderGeneration;
  for (const chart of charts) chart.destroy();
  charts = [];
  const { parts, params } = parseHash();
  const match = routeFor(parts);
  for (const link of nav.querySelectorAll('a')) link.classList.toggle('active', link.dataset.route === (match?.route.path ?? ''));
  rangeSelect.disabled = !(match?.route.range ?? false);
  rangeSelect.closest('.range').classList.toggle('unused', !(match?.route.range ?? false));
  clear(main);
  main.dataset.page = match ? (match.page === match.route.page ? match.route.path : `${match.route.path}-detail`) : 'not-found';
  main.dataset.state = 'loading';
  if (!match) {
    main.append(h('div', { class: 'banner banner-error' }, `There is no page "${parts.join('/')}". `, h('a', { href: '#/overview' }, 'Go to the overview.')));
    main.dataset.state = 'ready';
    return;
  }
  document.title = `${match.route.label} · Basalt gateway admin`;
  const ctx = {
    main,
    session,
    params,
    arg: match.arg,
    canWrite: session.canWrite === true,
    chart: (c) => { if (mine === renderGeneration) charts.push(c); else c.destroy(); return c; },
    current: () => mine === renderGeneration,
  };
  try {
    await match.page(ctx);
    if (mine === renderGeneration) main.dataset.state = 'ready';
  } catch (error) {
    if (mine !== renderGeneration) return;
    if (error instanceof api.ApiError && error.status === 401) return; // the signed-out screen takes over
    console.error(error);
    main.prepend(errorBanner(error));
    main.dataset.state = 'error';
  }
}

function shell() {
  clear(root);
  root.dataset.role = session.role;
  rangeSelect = h('select', { 'aria-label': 'Time range', onchange: (e) => setRangePreset(e.target.value) },
    presets.map(([v, label]) => h('option', { value: v, selected: v === rangePreset() }, label)));
  nav = h('nav', { class: 'sidebar', 'aria-label': 'Dashboard pages' },
    h('ul', null, routes.filter((r) => !(r.hiddenFor ?? []).includes(session.role)).map((r) =>
      h('li', null, h('a', { href: `#/${r.path}`, dataset: { route: r.path } }, r.label)))));
  const who = session.user?.name || session.user?.email || session.user?.id;
  const roleText = session.role === 'team-lead' ? `team lead · ${(session.teams ?? []).join(', ')}` : session.role;
  main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  root.append(
    h('header', { class: 'topbar' },
      h('a', { class: 'brand', href: '#/overview' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Basalt', h('span', { class: 'brand-sub' }, 'Gateway admin')),
      h('div', { class: 'range' }, h('span', { class: 'range-label' }, 'Range'), rangeSelect),
      h('div', { class: 'who' },
        h('span', { class: 'who-name', title: session.user?.email ?? '' }, who),
        badge(roleText, session.role === 'admin' ? 'accent' : 'neutral'),
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', dataset: { action: 'sign-out' }, onclick: signOut }, 'Sign out'))),
    nav,
    main,
    h('footer', { class: 'footer' },
      h('span', null, `Times in ${fmt.timeZone}`),
      h('span', null, 'Session ends ', fmt.relative(session.expiresAt)),
      h('span', null, 'Charts: Chart.js (MIT)')));
}

async function signOut() {
  try {
    // Where the IdP offers it, the server answers with its end-session URL: the IdP's session ends too (after its
    // own confirmation) and it sends the browser back to /admin/, signed out, so the next sign-in asks again.
    const answer = await api.send('POST', '/admin/auth/logout');
    if (answer && typeof answer.endSessionUrl === 'string' && /^https?:\/\//.test(answer.endSessionUrl)) {
      session = null;
      window.location.assign(answer.endSessionUrl);
      return;
    }
  } catch (error) {
    if (!(error instanceof api.ApiError && error.status === 401)) {
      toast(`Sign-out failed: ${error.message}`, 'bad');
      return;
    }
  }
  session = null;
  history.replaceState(null, '', '/admin/');
  signedOut('You are signed out.');
}

function signedOut(message) {
  clear(root);
  root.dataset.state = 'signed-out';
  delete root.dataset.role;
  const link = h('a', {
    class: 'btn btn-primary btn-large',
    href: api.signInUrl(),
    dataset: { action: 'sign-in' },
    onclick: () => { if (location.hash) sessionStorage.setItem(returnKey, location.hash); },
  }, 'Sign in');
  root.append(h('div', { class: 'signin' },
    h('div', { class: 'signin-card' },
      h('div', { class: 'brand brand-large' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Basalt'),
      h('h1', null, 'Gateway admin'),
      h('p', { class: 'muted' }, message ?? 'Sign in with your organisation account to see usage, budgets, keys and upstream health.'),
      link)));
}

async function start() {
  try {
    session = await api.loadSession();
  } catch (error) {
    clear(root);
    root.dataset.state = 'error';
    root.append(h('div', { class: 'signin' }, h('div', { class: 'signin-card' },
      h('h1', null, 'Gateway admin'),
      error.status === 404 ? h('p', null, 'The dashboard is not enabled on this gateway: add a dashboard: section to its configuration.') : errorBanner(error))));
    return;
  }
  if (!session) {
    signedOut();
    return;
  }
  root.dataset.state = 'signed-in';
  const back = sessionStorage.getItem(returnKey);
  if (back) {
    sessionStorage.removeItem(returnKey);
    if (!location.hash) history.replaceState(null, '', `/admin/${back}`);
  }
  shell();
  window.addEventListener('hashchange', render);
  onRangeChange(render);
  window.addEventListener('basalt:signed-out', () => { if (session) { session = null; signedOut('Your session ended. Sign in again to continue.'); } });
  await render();
}

start();
