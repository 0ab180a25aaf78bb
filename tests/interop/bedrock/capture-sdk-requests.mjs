// Runs the real AWS SDK for JavaScript v3 (Bedrock runtime + control plane) with a request handler that
// captures the signed request instead of sending it, and prints the requests as JSON lines on stdout:
// {operation, method, path, query, headers:[[name,value]...], bodyBase64}.
// Usage: node capture-sdk-requests.mjs <accessKeyId> <secret> <sessionToken|-> <region>
import { BedrockRuntimeClient, InvokeModelCommand, InvokeModelWithResponseStreamCommand, CountTokensCommand } from "@aws-sdk/client-bedrock-runtime";
import { BedrockClient, ListInferenceProfilesCommand, ListFoundationModelsCommand } from "@aws-sdk/client-bedrock";
import { HttpResponse } from "@smithy/protocol-http";
import { Readable } from "node:stream";

const [accessKeyId, secretAccessKey, sessionToken, region] = process.argv.slice(2);
const credentials = { accessKeyId, secretAccessKey, ...(sessionToken && sessionToken !== "-" ? { sessionToken } : {}) };
let current = "";

const capture = {
  async handle(request) {
    const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
    const query = Object.entries(request.query ?? {})
      .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))
      .map(([k, v]) => (v === null ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
      .join("&");
    console.log(JSON.stringify({
      operation: current,
      method: request.method,
      path: request.path,
      query,
      headers: Object.entries(request.headers),
      bodyBase64: body.toString("base64"),
    }));
    const json = current === "CountTokens" ? '{"inputTokens":1}' : current.startsWith("List") ? "{}" : '{"ok":true}';
    return { response: new HttpResponse({ statusCode: 200, headers: { "content-type": "application/json" }, body: Readable.from([Buffer.from(json)]) }) };
  },
};

const runtime = new BedrockRuntimeClient({ region, credentials, requestHandler: capture, maxAttempts: 1 });
const control = new BedrockClient({ region, credentials, requestHandler: capture, maxAttempts: 1 });
const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 16, messages: [{ role: "user", content: "héllo" }] });

current = "InvokeModel";
await runtime.send(new InvokeModelCommand({ modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", body, contentType: "application/json", accept: "application/json", performanceConfigLatency: "optimized", serviceTier: "priority" }));
current = "InvokeModelArn";
await runtime.send(new InvokeModelCommand({ modelId: "arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123", body }));
current = "InvokeModelWithResponseStream";
try {
  await runtime.send(new InvokeModelWithResponseStreamCommand({ modelId: "anthropic.claude-3-haiku-20240307-v1:0", body }));
} catch {
  // The captured response is not an event stream; only the request matters here.
}
current = "CountTokens";
await runtime.send(new CountTokensCommand({ modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0", input: { invokeModel: { body: new TextEncoder().encode(body) } } }));
current = "ListInferenceProfiles";
await control.send(new ListInferenceProfilesCommand({ typeEquals: "SYSTEM_DEFINED", maxResults: 50, nextToken: "a/b+c=" }));
current = "ListFoundationModels";
await control.send(new ListFoundationModelsCommand({ byProvider: "Anthropic" }));
