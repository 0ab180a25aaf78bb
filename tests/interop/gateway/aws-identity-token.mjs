// A Basalt gateway AWS-identity token made the way a person with only IAM Identity Center would: the real AWS
// SDK for JavaScript v3 signs in to Identity Center (device authorization, the user approves on the emulator's
// page, CreateToken, GetRoleCredentials for a permission set) and the Smithy SigV4 presigner
// (@smithy/signature-v4) presigns sts:GetCallerIdentity with those role credentials, like aws-iam-authenticator
// does for EKS. The token is "basalt-aws-v1." + base64url(presigned URL).
// Input on stdin: { "ssoEndpoint", "stsEndpoint", "region", "approveAs", "accountId", "roleName", "audience" }.
// Prints one JSON object: { token, expired (signed 5 min ago for 60 s), otherService (iam), otherRegion
// (eu-west-1), noAudience (without the gateway-id header) }.
// Only tokens the test itself must send are printed; the role credentials never are. With "ssoAccessToken": true
// the Identity Center access token is added (ssoAccessToken), for a test that seeds the AWS CLI's SSO cache with
// it so basalt-credential signs in from that cache like on a person's device.
import { SSOOIDCClient, RegisterClientCommand, StartDeviceAuthorizationCommand, CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
import { SSOClient, GetRoleCredentialsCommand } from '@aws-sdk/client-sso';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';

const request = JSON.parse(await readStdin());
const region = request.region ?? 'us-east-1';
const base = { region, endpoint: request.ssoEndpoint, maxAttempts: 1 };
const oidc = new SSOOIDCClient(base);
const portal = new SSOClient(base);

const client = await oidc.send(new RegisterClientCommand({ clientName: 'basalt-gateway-identity', clientType: 'public', scopes: ['sso:account:access'] }));
const device = await oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: 'https://d-9067example.awsapps.com/start' }));
const approve = await fetch(new URL('/device', request.ssoEndpoint), {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ user_code: device.userCode, user: request.approveAs, decision: 'approve' }),
});
if (!approve.ok) throw new Error(`approval failed: ${approve.status}`);
await new Promise((r) => setTimeout(r, device.interval * 1000 + 250));
const token = await oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: device.deviceCode }));
const role = await portal.send(new GetRoleCredentialsCommand({ accessToken: token.accessToken, accountId: request.accountId, roleName: request.roleName }));
const credentials = {
  accessKeyId: role.roleCredentials.accessKeyId,
  secretAccessKey: role.roleCredentials.secretAccessKey,
  sessionToken: role.roleCredentials.sessionToken,
};

const sts = new URL(request.stsEndpoint);
async function presign({ service = 'sts', signingRegion = region, expiresIn = 60, signingDate = new Date(), audience = request.audience } = {}) {
  const signer = new SignatureV4({ credentials, region: signingRegion, service, sha256: Hash.bind(null, 'sha256') });
  const headers = { host: sts.host };
  if (audience) headers['x-basalt-gateway-id'] = audience;
  const unsigned = new HttpRequest({
    method: 'GET',
    protocol: sts.protocol,
    hostname: sts.hostname,
    port: sts.port ? Number(sts.port) : undefined,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers,
  });
  const signed = await signer.presign(unsigned, { expiresIn, signingDate });
  const query = new URLSearchParams(signed.query).toString();
  const url = `${sts.protocol}//${sts.host}/?${query}`;
  return `basalt-aws-v1.${Buffer.from(url).toString('base64url')}`;
}

process.stdout.write(`${JSON.stringify({
  token: await presign(),
  expired: await presign({ expiresIn: 60, signingDate: new Date(Date.now() - 5 * 60 * 1000) }),
  otherService: await presign({ service: 'iam' }),
  otherRegion: await presign({ signingRegion: 'eu-west-1' }),
  noAudience: await presign({ audience: null }),
  ...(request.ssoAccessToken ? { ssoAccessToken: token.accessToken } : {}),
})}\n`);

function readStdin() {
  return new Promise((resolve) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c) => { data += c; });
    process.stdin.on('end', () => resolve(data));
  });
}
