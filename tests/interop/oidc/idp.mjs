// An enterprise OpenID Connect identity provider for Basalt's OIDC federation tests, built on the certified
// `oidc-provider` (v9). It plays Okta/Entra/Auth0: discovery, JWKS (RS256 + ES256 keys), authorization code
// with PKCE for a public native client on a loopback redirect, the device authorization grant (RFC 8628),
// refresh tokens with rotation (offline_access) and token revocation. The login and consent pages are the
// library's dev interactions, plain HTML forms that tests drive over HTTP (see browser.mjs).
//
// Usage: node oidc/idp.mjs [--port N] [--tamper-id-token] [--refresh-ttl S] [--record FILE] [--gateway-redirect URI]
//   --port 0 (default) binds an ephemeral port on 127.0.0.1.
//   --refresh-ttl S makes refresh tokens expire after S seconds (default 14 days).
//   --record FILE appends every secret the IdP hands out or receives (authorization codes, PKCE verifiers,
//     device codes, access/ID/refresh tokens) to FILE, one per line, so a test can assert that none of them
//     ever shows up in the client's log output.
//   --tamper-id-token flips a byte in the signature of every ID token the token endpoint returns, to prove
//     that the client verifies signatures against the JWKS.
// When ready it prints the issuer URL (http://127.0.0.1:<port>) as the first line on stdout.
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const port = Number(option('--port', '0'));
const tamperIdToken = args.includes('--tamper-id-token');
const refreshTtl = Number(option('--refresh-ttl', String(14 * 24 * 3600)));
const recordFile = option('--record', undefined);
// --gateway-redirect URI registers the gateway with exactly that redirect URI, as a web client: an https gateway
// callback (https://127.0.0.1:<port>/oauth/callback) is neither a loopback http redirect (whose port a native
// registration ignores) nor a redirect a native client may claim (no https on loopback hosts, RFC 8252 §7.2).
const gatewayRedirect = option('--gateway-redirect', undefined);
const record = (...values) => {
  const secrets = values.filter((v) => typeof v === 'string' && v.length > 0);
  if (recordFile && secrets.length) appendFileSync(recordFile, secrets.map((v) => `${v}\n`).join(''));
};

// Test accounts: any login name signs in (dev interactions take any login/password). "alice" has an email
// claim with characters STS does not allow in a role session name; other logins have no email, so the
// client falls back to `sub`.
// The `groups` claim (only with the `groups` scope, so other tests' tokens are unchanged) plays the IdP group
// membership the gateway maps to its groups: alice in engineering, bob in limited.
// The admin dashboard's people (issue 11): root administers, carol only views, dave leads team engineering.
const accounts = {
  alice: { email: 'Alice.O\'Neil+dev@example.com', email_verified: true, name: 'Alice O\'Neil', groups: ['engineering'] },
  bob: { name: 'Bob', groups: ['limited'] },
  root: { name: 'Root Admin', email: 'root@example.com', groups: ['platform-admins'] },
  carol: { name: 'Carol Viewer', groups: ['auditors'] },
  dave: { name: 'Dave Lead', groups: ['engineering-leads', 'engineering'] },
};

const signingKeys = [
  { alg: 'RS256', kid: 'rsa-1', ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) },
  { alg: 'ES256', kid: 'ec-1', ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) },
];

const nativeClient = (clientId, alg) => ({
  client_id: clientId,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  // RFC 8252 §7.3: for native clients the provider ignores the port of a loopback redirect, so any
  // http://127.0.0.1:<port>/callback matches this registration.
  redirect_uris: ['http://127.0.0.1:8400/callback'],
  grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
  response_types: ['code'],
  id_token_signed_response_alg: alg,
  client_name: `Basalt test client (${alg})`,
});

// The Basalt gateway as a relying party (the gateway as OAuth authorization server signs people in here): its
// callback is <gateway>/oauth/callback on a loopback port chosen at start-up, which a native registration allows.
const gatewayClient = {
  ...nativeClient('basalt-gateway', 'RS256'),
  redirect_uris: ['http://127.0.0.1:8400/oauth/callback'],
  grant_types: ['authorization_code'],
  client_name: 'Basalt gateway',
  ...(gatewayRedirect ? { application_type: 'web', redirect_uris: [gatewayRedirect] } : {}),
};

// The gateway registered at the IdP as a confidential client (an Entra "Web" app): the code exchange must carry
// its secret (client_secret_basic, which discovery advertises first).
const confidentialGatewayClient = {
  ...gatewayClient,
  client_id: 'basalt-gateway-confidential',
  client_secret: 'gateway-test-secret',
  token_endpoint_auth_method: 'client_secret_basic',
  client_name: 'Basalt gateway (confidential)',
};

// The gateway's admin dashboard signs in as a confidential web client (client_secret_basic) with PKCE. It is
// registered as a native-type client only so that its loopback redirect matches on any port (RFC 8252 §7.3),
// since each test's gateway listens on an ephemeral one.
const dashboardClient = {
  client_id: 'basalt-dashboard',
  client_secret: 'dashboard-test-secret',
  application_type: 'native',
  token_endpoint_auth_method: 'client_secret_basic',
  redirect_uris: ['http://127.0.0.1:8400/admin/auth/callback'],
  // RP-initiated logout returns here (any loopback port, as for the redirect URI).
  post_logout_redirect_uris: ['http://127.0.0.1:8400/admin/'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  id_token_signed_response_alg: 'RS256',
  client_name: 'Basalt admin dashboard (test)',
};

const server = http.createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [nativeClient('basalt-native', 'RS256'), nativeClient('basalt-native-es256', 'ES256'), gatewayClient, confidentialGatewayClient, dashboardClient],
  jwks: { keys: signingKeys },
  cookies: { keys: ['basalt-interop-cookie-key'] },
  scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  // Real enterprise IdPs (Okta, Entra, Auth0) put scope-requested claims such as email in the ID token.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    revocation: { enabled: true },
  },
  rotateRefreshToken: true,
  issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  ttl: { AccessToken: 3600, IdToken: 3600, RefreshToken: refreshTtl, DeviceCode: 600, Interaction: 600, Session: 3600, Grant: 14 * 24 * 3600 },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, ...(accounts[sub] ?? {}) };
      },
    };
  },
});

// OIDC Core §11 lets a provider drop offline_access unless the user is asked for consent, and oidc-provider
// does exactly that. Okta, Entra and Auth0 issue a refresh token for offline_access without prompt=consent,
// so this IdP adds the consent prompt itself rather than teaching the client a non-portable parameter.
provider.use(async (ctx, next) => {
  if (ctx.path === '/auth' && ctx.method === 'GET') {
    const query = new URLSearchParams(ctx.querystring);
    if ((query.get('scope') ?? '').split(' ').includes('offline_access') && !query.has('prompt')) {
      query.set('prompt', 'consent');
      ctx.querystring = query.toString();
    }
  }
  await next();
});

provider.use(async (ctx, next) => {
  await next();
  const location = ctx.response.get('location');
  if (location) record(new URL(location, issuer).searchParams.get('code'));
  const body = ctx.oidc?.body;
  if (body) record(body.code, body.code_verifier, body.refresh_token, body.device_code);
  if (ctx.body && typeof ctx.body === 'object' && !Buffer.isBuffer(ctx.body)) {
    record(ctx.body.access_token, ctx.body.id_token, ctx.body.refresh_token, ctx.body.device_code);
  }
});

if (tamperIdToken) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && ctx.body && typeof ctx.body.id_token === 'string') {
      const [h, p, s] = ctx.body.id_token.split('.');
      const bytes = Buffer.from(s, 'base64url');
      bytes[0] ^= 0x01;
      ctx.body = { ...ctx.body, id_token: `${h}.${p}.${bytes.toString('base64url')}` };
    }
  });
}

server.on('request', provider.callback());
process.stdout.write(`${issuer}\n`);

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The test owns this process through stdin: when the test goes away, stdin closes and the IdP exits.
process.stdin.resume();
process.stdin.on('end', stop);
