// The dashboard's one way to talk to the gateway: /admin/api/* (dash-contract §2–§4). Cookies carry the session;
// every mutation sends the session's CSRF token in x-csrf-token (the browser adds Origin and Sec-Fetch-Site,
// which the server checks as well). The token lives only in memory: it is never written into the page or storage.

const base = '/admin/api';
let session = null;

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export const signInUrl = () => `/admin/auth/login?return=${encodeURIComponent('/admin/')}`;

/** The signed-in session, or null when nobody is signed in (401). */
export async function loadSession() {
  const response = await fetch(`${base}/session`, { credentials: 'same-origin', headers: { accept: 'application/json' }, cache: 'no-store' });
  if (response.status === 401) {
    session = null;
    return null;
  }
  session = await parse(response);
  return session;
}

export const currentSession = () => session;

export function query(params) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    search.set(k, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const url = (path, params) => `${base}${path}${query(params)}`;

/** The CSV export of a table endpoint: the same filters and sort, every matching row (the server caps it). */
export const csvUrl = (path, params) => url(path, { ...params, limit: undefined, offset: undefined, format: 'csv' });

export async function get(path, params, signal) {
  const response = await fetch(url(path, params), { credentials: 'same-origin', headers: { accept: 'application/json' }, cache: 'no-store', signal });
  return parse(response);
}

/** POST/PUT/DELETE with the CSRF token (dash-contract §3). */
export async function send(method, path, body) {
  if (!session) throw new ApiError(401, 'unauthenticated', 'You are signed out. Sign in again.');
  const headers = { accept: 'application/json', 'x-csrf-token': session.csrfToken };
  const init = { method, credentials: 'same-origin', headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path.startsWith('/admin/') ? path : `${base}${path}`, init);
  return parse(response);
}

async function parse(response) {
  const type = response.headers.get('content-type') ?? '';
  const body = response.status === 204 ? null : type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (response.ok) return body;
  const error = body && typeof body === 'object' ? body.error ?? body : null;
  const message = error?.message ?? (typeof body === 'string' && body ? body.slice(0, 300) : `${response.status} ${response.statusText}`);
  const failure = new ApiError(response.status, error?.code ?? error?.type ?? String(response.status), message, body);
  if (response.status === 401) window.dispatchEvent(new CustomEvent('basalt:signed-out', { detail: failure }));
  throw failure;
}
