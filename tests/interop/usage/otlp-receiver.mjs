// An OTLP/HTTP receiver that is not Basalt's code: requests are decoded with the protobuf classes that the
// OpenTelemetry JavaScript project generates from the official opentelemetry-proto files
// (@opentelemetry/otlp-transformer's generated root, protobufjs). It listens on loopback, prints
// "listening on URL", then one JSON line per export it received: the signal, the resource's service.name, and for
// metrics every data point (name, attributes, value) / for logs every record (severity, body, attributes), so a
// test can check what the gateway exported without trusting the gateway's own encoder.
import http from 'node:http';
import zlib from 'node:zlib';
import root from '@opentelemetry/otlp-transformer/build/src/generated/root.js';

const proto = root.opentelemetry.proto;
const decoders = {
  '/v1/metrics': ['metrics', proto.collector.metrics.v1.ExportMetricsServiceRequest],
  '/v1/logs': ['logs', proto.collector.logs.v1.ExportLogsServiceRequest],
  '/v1/traces': ['traces', proto.collector.trace.v1.ExportTraceServiceRequest],
};

const value = (v) => {
  if (!v) return null;
  if (v.stringValue !== undefined && v.stringValue !== null && v.stringValue !== '') return v.stringValue;
  if (v.intValue !== undefined && v.intValue !== null) return Number(v.intValue);
  if (v.doubleValue !== undefined && v.doubleValue !== null) return v.doubleValue;
  if (v.boolValue !== undefined && v.boolValue !== null) return v.boolValue;
  return v.stringValue ?? null;
};
const attrs = (list) => Object.fromEntries((list || []).map((a) => [a.key, value(a.value)]));
const service = (resource) => attrs(resource?.attributes)['service.name'] ?? null;

function points(metric) {
  const data = metric.sum || metric.gauge || metric.histogram || metric.exponentialHistogram || metric.summary;
  return (data?.dataPoints || []).map((p) => ({
    name: metric.name,
    attributes: attrs(p.attributes),
    value: p.asInt !== undefined && p.asInt !== null ? Number(p.asInt) : p.asDouble ?? (p.sum !== undefined ? Number(p.sum) : null),
    count: p.count !== undefined && p.count !== null ? Number(p.count) : undefined,
  }));
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const entry = decoders[req.url];
    if (req.method !== 'POST' || !entry) {
      res.writeHead(404).end();
      return;
    }
    let body = Buffer.concat(chunks);
    if ((req.headers['content-encoding'] || '') === 'gzip') body = zlib.gunzipSync(body);
    if (!(req.headers['content-type'] || '').includes('protobuf')) {
      res.writeHead(415).end();
      return;
    }
    const [signal, type] = entry;
    let out;
    try {
      const message = type.decode(body);
      if (signal === 'metrics') {
        out = message.resourceMetrics.map((rm) => ({
          signal, service: service(rm.resource),
          points: rm.scopeMetrics.flatMap((sm) => sm.metrics.flatMap(points)),
        }));
      } else if (signal === 'logs') {
        out = message.resourceLogs.map((rl) => ({
          signal, service: service(rl.resource),
          records: rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => ({
            severity: r.severityText, body: value(r.body), attributes: attrs(r.attributes),
          }))),
        }));
      } else {
        out = [{ signal, spans: message.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name))) }];
      }
    } catch (e) {
      process.stdout.write(JSON.stringify({ signal, error: String(e) }) + '\n');
      res.writeHead(400).end();
      return;
    }
    for (const line of out) process.stdout.write(JSON.stringify(line) + '\n');
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
