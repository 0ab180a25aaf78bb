// Mints a short-term Bedrock API key with AWS's own generator (@aws/bedrock-token-generator) at a fixed clock.
// Usage: node mint-token.mjs <accessKeyId> <secret> <sessionToken|-> <region> <expiresInSeconds> <isoTime>
// Prints the token on stdout. The generator reads the clock through `new Date()`, so the clock is pinned here.
import { getToken } from "@aws/bedrock-token-generator";

const [accessKeyId, secretAccessKey, sessionToken, region, expires, isoTime] = process.argv.slice(2);
const fixed = new Date(isoTime).getTime();
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args) {
    super(...(args.length === 0 ? [fixed] : args));
  }
  static now() {
    return fixed;
  }
};

const credentials = { accessKeyId, secretAccessKey, ...(sessionToken !== "-" ? { sessionToken } : {}) };
const token = await getToken({ credentials, region, expiresInSeconds: Number(expires) });
process.stdout.write(token);
