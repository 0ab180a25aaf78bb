// Calls one AWS STS operation with the real AWS SDK for JavaScript v3 (@aws-sdk/client-sts) against the
// Basalt emulator. Input on stdin (JSON, so secrets stay out of argv):
//   { "endpoint": "http://127.0.0.1:PORT/", "region": "us-east-1", "operation": "AssumeRole",
//     "input": { ... }, "credentials": { "accessKeyId", "secretAccessKey", "sessionToken" } }
// Prints one JSON line: { "ok": true, "output": {...} } or { "ok": false, "name", "code", "status", "message" }.
// Secrets in the output are replaced by their length so test logs never carry them.
import * as sts from '@aws-sdk/client-sts';

const request = JSON.parse(await readStdin());
const client = new sts.STSClient({
  region: request.region ?? 'us-east-1',
  endpoint: request.endpoint,
  maxAttempts: 1,
  ...(request.credentials ? { credentials: request.credentials } : {}),
});

const Command = sts[`${request.operation}Command`];
if (!Command) {
  console.log(JSON.stringify({ ok: false, name: 'UnknownOperation', message: request.operation }));
  process.exit(2);
}

try {
  const { $metadata, ...output } = await client.send(new Command(request.input ?? {}));
  if (output.Credentials) {
    output.Credentials = redactCredentials(output.Credentials, request.reveal === true);
  }
  console.log(JSON.stringify({ ok: true, status: $metadata.httpStatusCode, requestId: $metadata.requestId, output }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, name: e.name, code: e.Code ?? e.name, status: e.$metadata?.httpStatusCode, message: e.message, type: e.Type ?? e.$fault }));
}

function redactCredentials(c, reveal) {
  return {
    AccessKeyId: c.AccessKeyId,
    Expiration: c.Expiration instanceof Date ? c.Expiration.toISOString() : c.Expiration,
    SecretAccessKey: reveal ? c.SecretAccessKey : { length: c.SecretAccessKey?.length },
    SessionToken: reveal ? c.SessionToken : { length: c.SessionToken?.length },
  };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
