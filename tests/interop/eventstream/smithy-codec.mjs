// The AWS SDK for JavaScript's event-stream codec (@smithy/eventstream-codec) as a peer for Basalt's tests.
//   node smithy-codec.mjs encode   stdin: JSON [{headers:[{name,type,value}], payloadBase64}] -> stdout: base64 of the frames
//   node smithy-codec.mjs decode <seed>   stdin: base64 frames, delivered in pseudo-random chunks -> stdout: JSON messages
// Header JSON values: boolean -> true/false, byte/short/integer -> number, long/timestamp -> decimal string (ms for
// timestamp), binary -> base64, string -> string, uuid -> canonical string.
import { EventStreamCodec, Int64 } from "@smithy/eventstream-codec";
import { getChunkedStream } from "@smithy/core/event-streams";
const toUtf8 = (bytes) => new TextDecoder().decode(bytes);
const fromUtf8 = (text) => new TextEncoder().encode(text);

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const mode = process.argv[2];
const input = await new Promise((resolve) => {
  const chunks = [];
  process.stdin.on("data", (c) => chunks.push(c));
  process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
});

if (mode === "encode") {
  const out = [];
  for (const m of JSON.parse(input)) {
    const headers = {};
    for (const h of m.headers) {
      let value = h.value;
      if (h.type === "long") value = Int64.fromNumber(Number(h.value));
      if (h.type === "timestamp") value = new Date(Number(h.value));
      if (h.type === "binary") value = Buffer.from(h.value, "base64");
      headers[h.name] = { type: h.type, value };
    }
    out.push(Buffer.from(codec.encode({ headers, body: Buffer.from(m.payloadBase64, "base64") })));
  }
  process.stdout.write(Buffer.concat(out).toString("base64"));
} else if (mode === "decode") {
  let seed = Number(process.argv[3] ?? "1");
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const bytes = Buffer.from(input.trim(), "base64");
  async function* pieces() {
    for (let i = 0; i < bytes.length; ) {
      const n = 1 + Math.floor(random() * 40);
      yield new Uint8Array(bytes.subarray(i, i + n));
      i += n;
    }
  }
  const messages = [];
  for await (const frame of getChunkedStream(pieces())) {
    const m = codec.decode(frame);
    messages.push({
      headers: Object.entries(m.headers).map(([name, h]) => ({
        name,
        type: h.type,
        value: h.type === "long" ? h.value.toString()
          : h.type === "timestamp" ? String(h.value.getTime())
          : h.type === "binary" ? Buffer.from(h.value).toString("base64")
          : h.value,
      })),
      payloadBase64: Buffer.from(m.body).toString("base64"),
    });
  }
  process.stdout.write(JSON.stringify(messages));
} else {
  console.error("usage: smithy-codec.mjs encode|decode <seed>");
  process.exit(2);
}
