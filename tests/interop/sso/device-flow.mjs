// The IAM Identity Center sign-in a Basalt user goes through, driven by the real AWS SDK for JavaScript v3
// (@aws-sdk/client-sso-oidc, @aws-sdk/client-sso, @aws-sdk/client-sts) against the Basalt emulator:
//   RegisterClient -> StartDeviceAuthorization -> CreateToken (pending, then too fast: slow_down)
//   -> the user approves on the verification page (HTTP form post) -> CreateToken (tokens)
//   -> CreateToken with the refresh token (rotation; the old refresh token is then rejected)
//   -> portal ListAccounts / ListAccountRoles / GetRoleCredentials -> STS GetCallerIdentity with the role
//   credentials -> Logout -> ListAccounts again (rejected).
// Input on stdin: { "endpoint", "region", "approveAs": "alice", "scopes": ["sso:account:access"] }.
// Prints one JSON object of observations; tokens and secrets are never printed.
import { SSOOIDCClient, RegisterClientCommand, StartDeviceAuthorizationCommand, CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
import { SSOClient, ListAccountsCommand, ListAccountRolesCommand, GetRoleCredentialsCommand, LogoutCommand } from '@aws-sdk/client-sso';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';

const request = JSON.parse(await readStdin());
const base = { region: request.region ?? 'us-east-1', endpoint: request.endpoint, maxAttempts: 1 };
const oidc = new SSOOIDCClient(base);
const portal = new SSOClient(base);
const result = { steps: [] };
const step = (name, value) => result.steps.push({ ...value, name });
const failure = (e) => ({ ok: false, errorName: e.name, error: e.error, status: e.$metadata?.httpStatusCode });

try {
  const client = await oidc.send(new RegisterClientCommand({ clientName: 'basalt-interop', clientType: 'public', scopes: request.scopes ?? [] }));
  step('RegisterClient', { ok: true, hasClientId: !!client.clientId, hasSecret: !!client.clientSecret, secretExpiresInFuture: client.clientSecretExpiresAt * 1000 > Date.now() });

  const device = await oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: 'https://d-9067example.awsapps.com/start' }));
  step('StartDeviceAuthorization', { ok: true, userCode: device.userCode, verificationUri: device.verificationUri, expiresIn: device.expiresIn, interval: device.interval });

  const tokenInput = { clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: device.deviceCode };
  for (const name of ['CreateToken.pending', 'CreateToken.tooFast']) {
    try {
      await oidc.send(new CreateTokenCommand(tokenInput));
      step(name, { ok: true });
    } catch (e) {
      step(name, failure(e));
    }
  }

  const page = await fetch(device.verificationUriComplete);
  const html = await page.text();
  step('ApprovalPage', { ok: page.ok, showsUserCode: html.includes(device.userCode) });
  const approve = await fetch(new URL('/device', request.endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_code: device.userCode, user: request.approveAs, decision: 'approve' }),
  });
  step('Approve', { ok: approve.ok, status: approve.status });

  await sleep(device.interval * 1000 + 250);
  const token = await oidc.send(new CreateTokenCommand(tokenInput));
  step('CreateToken.approved', { ok: true, tokenType: token.tokenType, expiresIn: token.expiresIn, hasAccessToken: !!token.accessToken, hasRefreshToken: !!token.refreshToken });

  try {
    await oidc.send(new CreateTokenCommand(tokenInput));
    step('CreateToken.reuseDeviceCode', { ok: true });
  } catch (e) {
    step('CreateToken.reuseDeviceCode', failure(e));
  }

  let accessToken = token.accessToken;
  if (token.refreshToken) {
    const refreshInput = { clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token', refreshToken: token.refreshToken };
    const refreshed = await oidc.send(new CreateTokenCommand(refreshInput));
    step('CreateToken.refresh', { ok: true, rotated: refreshed.refreshToken !== token.refreshToken && !!refreshed.refreshToken, newAccessToken: refreshed.accessToken !== token.accessToken });
    try {
      await oidc.send(new CreateTokenCommand(refreshInput));
      step('CreateToken.reuseRefreshToken', { ok: true });
    } catch (e) {
      step('CreateToken.reuseRefreshToken', failure(e));
    }
    accessToken = refreshed.accessToken;
  }

  const accounts = await portal.send(new ListAccountsCommand({ accessToken }));
  step('ListAccounts', { ok: true, accountList: accounts.accountList });
  const accountId = accounts.accountList[0].accountId;
  const roles = await portal.send(new ListAccountRolesCommand({ accessToken, accountId }));
  step('ListAccountRoles', { ok: true, roleList: roles.roleList });
  const creds = await portal.send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName: roles.roleList[0].roleName }));
  const rc = creds.roleCredentials;
  step('GetRoleCredentials', { ok: true, accessKeyIdPrefix: rc.accessKeyId.slice(0, 4), expiresInSeconds: Math.round((rc.expiration - Date.now()) / 1000) });

  const sts = new STSClient({ ...base, credentials: { accessKeyId: rc.accessKeyId, secretAccessKey: rc.secretAccessKey, sessionToken: rc.sessionToken } });
  const { $metadata, ...identity } = await sts.send(new GetCallerIdentityCommand({}));
  step('GetCallerIdentity', { ok: true, ...identity });

  await portal.send(new LogoutCommand({ accessToken }));
  step('Logout', { ok: true });
  try {
    await portal.send(new ListAccountsCommand({ accessToken }));
    step('ListAccounts.afterLogout', { ok: true });
  } catch (e) {
    step('ListAccounts.afterLogout', failure(e));
  }
  result.ok = true;
} catch (e) {
  result.ok = false;
  result.error = { name: e.name, error: e.error, message: e.message, status: e.$metadata?.httpStatusCode };
}

console.log(JSON.stringify(result));

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
