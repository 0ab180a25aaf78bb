// Calls the Basalt emulator's Bedrock runtime with the real AWS SDK for JavaScript v3
// (@aws-sdk/client-bedrock-runtime): InvokeModel, or InvokeModelWithResponseStream with the stream iterated and
// the text reassembled from the chunk events. Input on stdin (JSON, so secrets stay out of argv):
//   { "endpoint": "http://127.0.0.1:PORT", "region": "us-east-1", "modelId": "us.anthropic...",
//     "body": { ...Anthropic body... }, "stream": true|false,
//     "credentials": { "accessKeyId", "secretAccessKey" } | "token": "<Bedrock API key>",
//     "fault": "<x-basalt-fault header>"?, "maxAttempts": 3?, "http2": true? }
// "http2": keep the SDK's default handler (NodeHttp2Handler, HTTP/2 with prior knowledge over http://); the
// endpoint must then be the emulator's Http2BaseAddress. Without it the client uses HTTP/1.1 (NodeHttpHandler).
// Prints one JSON line: { ok: true, status, attempts, requestId, text, eventTypes, message, metrics, ... } or
// { ok: false, name, status, attempts, message, eventTypes, text } (eventTypes/text: what arrived before the error).
import { BedrockRuntimeClient, InvokeModelCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const request = JSON.parse(await readStdin());
if (request.token) {
  // The SDK picks Bedrock API keys up from this variable and sends them as a bearer token (spec §3).
  process.env.AWS_BEARER_TOKEN_BEDROCK = request.token;
}

const client = new BedrockRuntimeClient({
  region: request.region ?? 'us-east-1',
  endpoint: request.endpoint,
  maxAttempts: request.maxAttempts ?? 3,
  // This client defaults to HTTP/2 (NodeHttp2Handler, for the bidirectional-stream operation). Over a cleartext
  // http:// endpoint that means HTTP/2 with prior knowledge, which only the emulator's separate HTTP/2 listener
  // speaks (Kestrel serves h2c only on an HTTP/2-only endpoint); docs/emulator.md, "HTTP/2".
  ...(request.http2 ? {} : { requestHandler: new NodeHttpHandler() }),
  ...(request.credentials ? { credentials: request.credentials } : {}),
});
if (request.fault) {
  client.middlewareStack.add((next) => (args) => {
    args.request.headers['x-basalt-fault'] = request.fault;
    return next(args);
  }, { step: 'build', name: 'basaltFault' });
}

const input = {
  modelId: request.modelId,
  contentType: 'application/json',
  accept: 'application/json',
  body: new TextEncoder().encode(JSON.stringify(request.body)),
};
const eventTypes = [];
let text = '';
let thinking = '';
let toolJson = '';
let metrics = null;
let messageStart = null;
let messageDelta = null;
let firstEventMs = null;
const started = Date.now();
try {
  if (request.stream) {
    const response = await client.send(new InvokeModelWithResponseStreamCommand(input));
    for await (const event of response.body) {
      firstEventMs ??= Date.now() - started;
      if (!event.chunk) {
        eventTypes.push(Object.keys(event)[0]);
        continue;
      }
      const e = JSON.parse(new TextDecoder().decode(event.chunk.bytes));
      eventTypes.push(e.type);
      if (e.type === 'message_start') messageStart = e.message;
      if (e.type === 'message_delta') messageDelta = e;
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
      if (e.type === 'content_block_delta' && e.delta.type === 'thinking_delta') thinking += e.delta.thinking;
      if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') toolJson += e.delta.partial_json;
      if (e['amazon-bedrock-invocationMetrics']) metrics = e['amazon-bedrock-invocationMetrics'];
    }
    print({
      ok: true,
      status: response.$metadata.httpStatusCode,
      attempts: response.$metadata.attempts,
      requestId: response.$metadata.requestId,
      contentType: response.contentType,
      elapsedMs: Date.now() - started,
      firstEventMs,
      text, thinking, toolJson, eventTypes, messageStart, messageDelta, metrics,
    });
  } else {
    const response = await client.send(new InvokeModelCommand(input));
    print({
      ok: true,
      status: response.$metadata.httpStatusCode,
      attempts: response.$metadata.attempts,
      requestId: response.$metadata.requestId,
      contentType: response.contentType,
      elapsedMs: Date.now() - started,
      message: JSON.parse(new TextDecoder().decode(response.body)),
    });
  }
} catch (e) {
  print({
    ok: false,
    name: e.name,
    status: e.$metadata?.httpStatusCode,
    attempts: e.$metadata?.attempts,
    message: e.message,
    elapsedMs: Date.now() - started,
    text, eventTypes,
  });
} finally {
  // Close the handler's sockets so node exits now. After a mid-stream exception the SDK stops reading the body, and
  // when it throws before the response's last chunk is read, the socket stays referenced until the server's idle
  // timeout closes it: the process then outlived the test's 60 s limit (seen once in a full run, 2026-12-07).
  client.destroy();
}

function print(value) {
  console.log(JSON.stringify(value));
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
