// A stand-in for the user's web browser, used as $BROWSER (or run by a test with the device-flow URL).
// It follows an authorization URL the way a person would with oidc-provider's dev interactions: keeps
// cookies, follows redirects, submits each HTML form it is shown (device code confirmation, login with the
// given account, consent), and finally loads the loopback callback
// (http://127.0.0.1:<port>/callback?code=...&state=...) that the Basalt listener answers.
//
// Usage: node oidc/browser.mjs [--login alice] [--tamper-state] [--deny] <url>
//   --tamper-state changes `state` on the callback URL (a forged or replayed redirect).
//   --deny presses "abort" on the login page (the user refuses to sign in).
// Prints one line: "callback <status>" when it delivered a callback, "done <title>" when a flow ended on a
// page without forms (device flow success). Exit code 0 on HTTP success, 2 otherwise.
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const login = option('--login', 'alice');
const url = args[args.length - 1];

const jar = new Map();
const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
const remember = (response) => {
  for (const c of response.headers.getSetCookie()) {
    const [pair, ...attrs] = c.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attrs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]) < new Date());
    if (expired || value === '') jar.delete(name); else jar.set(name, value);
  }
};

const decode = (s) => s
  .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
  .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
  .replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&amp;/g, '&');
const attr = (tag, name) => {
  const m = tag.match(new RegExp(`\\s${name}="([^"]*)"`, 'i'));
  return m ? decode(m[1]) : undefined;
};

function firstForm(html) {
  const m = html.match(/<form\b[^>]*>([\s\S]*?)<\/form>/i);
  if (!m) return undefined;
  const openTag = m[0].slice(0, m[0].indexOf('>') + 1);
  const fields = new URLSearchParams();
  for (const input of m[1].match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, 'name');
    if (!name) continue;
    let value = attr(input, 'value') ?? '';
    if (name === 'login') value = login;
    if (name === 'password') value = 'any-password';
    fields.append(name, value);
  }
  return { action: attr(openTag, 'action'), method: (attr(openTag, 'method') ?? 'get').toLowerCase(), fields };
}

const isCallback = (u) => u.pathname === '/callback' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost');

async function deliverCallback(target) {
  if (flag('--tamper-state')) target.searchParams.set('state', 'forged-state-value');
  try {
    const response = await fetch(target, { redirect: 'manual' });
    await response.text();
    console.log(`callback ${response.status}`);
    process.exit(response.ok ? 0 : 2);
  } catch (error) {
    console.log(`callback unreachable ${error.cause?.code ?? error.message}`);
    process.exit(2);
  }
}

let current = new URL(url);
let method = 'get';
let body;
for (let step = 0; step < 25; step += 1) {
  if (isCallback(current)) await deliverCallback(current);
  const response = await fetch(current, {
    method: method.toUpperCase(),
    redirect: 'manual',
    headers: {
      cookie: cookieHeader(),
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body,
  });
  remember(response);
  if (response.status >= 300 && response.status < 400) {
    await response.text();
    current = new URL(response.headers.get('location'), current);
    method = 'get';
    body = undefined;
    continue;
  }

  const html = await response.text();
  if (!response.ok) {
    console.log(`error ${response.status} at ${current.pathname}`);
    process.exit(2);
  }

  const form = firstForm(html);
  if (!form) {
    const title = (html.match(/<title>([^<]*)<\/title>/i) ?? [])[1] ?? '';
    console.log(`done ${title}`);
    process.exit(0);
  }

  if (flag('--deny') && form.fields.get('prompt') === 'login') {
    const abort = html.match(/href="([^"]*\/abort)"/i);
    current = new URL(decode(abort[1]), current);
    method = 'get';
    body = undefined;
    continue;
  }

  current = new URL(form.action ?? current.href, current);
  method = form.method;
  body = method === 'post' ? form.fields.toString() : undefined;
  if (method === 'get') {
    for (const [k, v] of form.fields) current.searchParams.set(k, v);
  }
}

console.log('too many steps');
process.exit(2);
