// Drives Basalt's gateway with the real Anthropic SDK (@anthropic-ai/sdk), as Claude Desktop's gateway provider and
// Claude Code with ANTHROPIC_BASE_URL do. Input on stdin (JSON, so keys stay out of argv):
//   { "baseURL": "http://127.0.0.1:PORT[/v1]", "apiKey"?: "...", "authToken"?: "...", "model": "...",
//     "action": "create" | "stream" | "tools" | "count" | "models" | "error", "prompt": "...", "betas"?: [...],
//     "thinking"?: {...}, "maxRetries"?: 0 }
// Prints one JSON line: { ok: true, ... } or { ok: false, status, type, message }.
import Anthropic from '@anthropic-ai/sdk';

const request = JSON.parse(await readStdin());
const client = new Anthropic({
  baseURL: request.baseURL,
  apiKey: request.apiKey ?? null,
  authToken: request.authToken ?? null,
  maxRetries: request.maxRetries ?? 0,
  timeout: 60_000,
});
const model = request.model;
const headers = request.betas ? { 'anthropic-beta': request.betas.join(',') } : undefined;

try {
  let out;
  switch (request.action) {
    case 'create': {
      const message = await client.messages.create({ model, max_tokens: 1024, messages: [{ role: 'user', content: request.prompt }] }, { headers });
      out = { text: message.content.filter((b) => b.type === 'text').map((b) => b.text).join(''), usage: message.usage, stop_reason: message.stop_reason, model: message.model };
      break;
    }
    case 'stream': {
      const events = [];
      let firstEventMs = null;
      const started = Date.now();
      const stream = client.messages.stream({ model, max_tokens: 2048, messages: [{ role: 'user', content: request.prompt }], ...(request.thinking ? { thinking: request.thinking } : {}) }, { headers });
      for await (const event of stream) {
        firstEventMs ??= Date.now() - started;
        events.push(event.type);
      }
      const message = await stream.finalMessage();
      out = {
        events,
        firstEventMs,
        text: message.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
        thinking: message.content.filter((b) => b.type === 'thinking').map((b) => ({ thinking: b.thinking, signature: b.signature })),
        usage: message.usage,
        stop_reason: message.stop_reason,
      };
      break;
    }
    case 'tools': {
      // A tool-use round trip, streamed both times; the assistant turn (with its thinking signature) goes back as received.
      const tools = [{ name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
      const messages = [{ role: 'user', content: request.prompt }];
      const thinking = request.thinking ?? undefined;
      const first = await client.messages.stream({ model, max_tokens: 4096, tools, messages, ...(thinking ? { thinking } : {}) }, { headers }).finalMessage();
      const toolUse = first.content.find((b) => b.type === 'tool_use');
      if (!toolUse) {
        throw new Error(`no tool_use in the first answer (stop_reason ${first.stop_reason})`);
      }
      messages.push({ role: 'assistant', content: first.content });
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny, 24 C' }] });
      const second = await client.messages.stream({ model, max_tokens: 4096, tools, messages, ...(thinking ? { thinking } : {}) }, { headers }).finalMessage();
      out = {
        firstStop: first.stop_reason,
        toolName: toolUse.name,
        toolInput: toolUse.input,
        signature: first.content.find((b) => b.type === 'thinking')?.signature ?? null,
        text: second.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
        stop_reason: second.stop_reason,
      };
      break;
    }
    case 'count': {
      const count = await client.messages.countTokens({ model, messages: [{ role: 'user', content: request.prompt }] }, { headers });
      out = { input_tokens: count.input_tokens };
      break;
    }
    case 'models': {
      const ids = [];
      const entries = [];
      for await (const m of client.models.list({ limit: 1000 })) {
        ids.push(m.id);
        entries.push(m);
      }
      out = { ids, entries };
      break;
    }
    default:
      throw new Error(`unknown action ${request.action}`);
  }
  console.log(JSON.stringify({ ok: true, ...out }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, status: e.status ?? null, type: e.error?.error?.type ?? e.constructor?.name ?? null, message: e.error?.error?.message ?? e.message, name: e.name }));
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
