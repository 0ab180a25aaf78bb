// AssumeRole with the real @aws-sdk/client-sts, then uses the returned session credentials in a second
// STS client for GetCallerIdentity: proves the emulator's issued credentials verify under the SDK's own
// SigV4 signing with a session token. Input on stdin:
//   { "endpoint", "region", "credentials": {...}, "assumeRole": { RoleArn, RoleSessionName, ExternalId?, Tags?, DurationSeconds? } }
// Prints { ok, assumedRoleUser, accessKeyIdPrefix, expiration, callerIdentity } or the error.
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';

const request = JSON.parse(await readStdin());
const base = { region: request.region ?? 'us-east-1', endpoint: request.endpoint, maxAttempts: 1 };
try {
  const assumed = await new STSClient({ ...base, credentials: request.credentials }).send(new AssumeRoleCommand(request.assumeRole));
  const session = new STSClient({
    ...base,
    credentials: {
      accessKeyId: assumed.Credentials.AccessKeyId,
      secretAccessKey: assumed.Credentials.SecretAccessKey,
      sessionToken: assumed.Credentials.SessionToken,
    },
  });
  const { $metadata, ...identity } = await session.send(new GetCallerIdentityCommand({}));
  console.log(JSON.stringify({
    ok: true,
    assumedRoleUser: assumed.AssumedRoleUser,
    packedPolicySize: assumed.PackedPolicySize,
    accessKeyIdPrefix: assumed.Credentials.AccessKeyId.slice(0, 4),
    expiration: assumed.Credentials.Expiration.toISOString(),
    callerIdentity: identity,
  }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, name: e.name, code: e.Code ?? e.name, status: e.$metadata?.httpStatusCode, message: e.message }));
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
