// Lists the Basalt emulator's inference profiles and foundation models with the real AWS SDK for JavaScript v3
// (@aws-sdk/client-bedrock), paging ListInferenceProfiles with the SDK's own paginator. Input on stdin:
//   { "endpoint", "region", "credentials": {...} | "token", "pageSize": 2, "typeEquals": "SYSTEM_DEFINED"?,
//     "byProvider": "Anthropic"?, "profileId": "<id or ARN for GetInferenceProfile>"? }
// Prints { ok, pages, profiles: [{ id, arn, type, models }], foundationModels: [...], profile } or the error.
import { BedrockClient, paginateListInferenceProfiles, ListFoundationModelsCommand, GetInferenceProfileCommand } from '@aws-sdk/client-bedrock';

const request = JSON.parse(await readStdin());
if (request.token) process.env.AWS_BEARER_TOKEN_BEDROCK = request.token;
const client = new BedrockClient({
  region: request.region ?? 'us-east-1',
  endpoint: request.endpoint,
  maxAttempts: 1,
  ...(request.credentials ? { credentials: request.credentials } : {}),
});

try {
  let pages = 0;
  const profiles = [];
  const query = request.typeEquals ? { typeEquals: request.typeEquals } : {};
  for await (const page of paginateListInferenceProfiles({ client, pageSize: request.pageSize ?? 1000 }, query)) {
    pages++;
    for (const p of page.inferenceProfileSummaries ?? []) {
      profiles.push({
        id: p.inferenceProfileId,
        arn: p.inferenceProfileArn,
        name: p.inferenceProfileName,
        type: p.type,
        status: p.status,
        createdAt: p.createdAt instanceof Date ? p.createdAt.toISOString() : null,
        models: (p.models ?? []).map((m) => m.modelArn),
      });
    }
  }
  const models = await client.send(new ListFoundationModelsCommand(request.byProvider ? { byProvider: request.byProvider } : {}));
  let profile = null;
  if (request.profileId) {
    const p = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: request.profileId }));
    profile = { id: p.inferenceProfileId, arn: p.inferenceProfileArn, type: p.type };
  }
  console.log(JSON.stringify({
    ok: true,
    pages,
    profiles,
    foundationModels: (models.modelSummaries ?? []).map((m) => ({ id: m.modelId, provider: m.providerName, inferenceTypes: m.inferenceTypesSupported, streaming: m.responseStreamingSupported })),
    profile,
  }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, name: e.name, status: e.$metadata?.httpStatusCode, message: e.message }));
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
