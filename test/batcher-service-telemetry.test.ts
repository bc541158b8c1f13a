/**
 * The batcher example's request logs and traces: a caller's W3C trace continues through the
 * service into its log line, its span (to an OTLP/HTTP receiver, as Tempo's, and to a file) and
 * the latency histogram's exemplar. The receiver is a stand-in that follows OTLP/HTTP 1.x
 * (`POST /v1/traces`, a JSON `ExportTraceServiceRequest`, answered 200 `{}`): no Tempo runs here.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startService } from '../examples/batcher-service/server.js';

const work = mkdtempSync(join(tmpdir(), 'inferboard-telemetry-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: { traceId: string; parentSpanId?: string; name: string; kind: number; status: { code?: number } }[] }[];
  }[];
}

/** An OTLP/HTTP traces receiver: what it was sent, and the content types it was sent as. */
async function otlpReceiver() {
  const received: { contentType: string; body: OtlpRequest }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      received.push({
        contentType: request.headers['content-type'] ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, received, server };
}

const spansOf = (requests: OtlpRequest[]) =>
  requests.flatMap((request) =>
    request.resourceSpans.flatMap(({ resource, scopeSpans }) =>
      scopeSpans.flatMap(({ spans }) =>
        spans.map((span) => ({ ...span, service: resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue })),
      ),
    ),
  );

test('a caller’s trace runs through the service: its log line, its span to the OTLP receiver and the file, its latency exemplar', async () => {
  const receiver = await otlpReceiver();
  const logFile = join(work, 'requests.log');
  const spansFile = join(work, 'spans.jsonl');
  const service = await startService({
    port: 0,
    model: 'resnet50',
    serviceName: 'inference-api',
    logFile,
    spansFile,
    otlpTracesUrl: receiver.url,
    baseMs: 1,
    perItemMs: 0,
    maxQueueDelayMs: 1,
  });
  const traces = ['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c'];
  try {
    await fetch(`${service.url}/faults`, { method: 'POST', body: JSON.stringify({ errorRatio: 0.5 }) });
    const statuses: number[] = [];
    for (const [index, traceId] of traces.entries()) {
      const response = await fetch(`${service.url}/predict`, {
        method: 'POST',
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': `req-${index}` },
        body: JSON.stringify({ inputs: [index] }),
      });
      statuses.push(response.status);
    }
    // Error ratio 0.5 fails every second request.
    assert.deepEqual(statuses, [200, 500]);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    const exemplars = [
      ...metrics.matchAll(
        /^batcher_request_latency_seconds_bucket\{le="[^"]+"\} \d+ # \{trace_id="(\w+)"\} ([\d.e-]+) [\d.]+$/gm,
      ),
    ];
    assert.ok(exemplars.length > 0, 'the OpenMetrics page carries exemplars');
    for (const [, traceId] of exemplars) assert.ok(traces.includes(traceId!), `exemplar ${traceId}`);
    assert.match(metrics, /# EOF\n$/);
  } finally {
    await service.close();
    receiver.server.close();
  }

  const lines = readFileSync(logFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(
    lines.map(({ level, model, request_id, batch_size, status, trace_id }) => ({
      level,
      model,
      request_id,
      batch_size,
      status,
      trace_id,
    })),
    [
      { level: 'info', model: 'resnet50', request_id: 'req-0', batch_size: 1, status: 'success', trace_id: traces[0] },
      { level: 'error', model: 'resnet50', request_id: 'req-1', batch_size: 1, status: 'error', trace_id: traces[1] },
    ],
  );
  for (const line of lines) {
    assert.equal(typeof line.latency_ms, 'number');
    assert.ok(!Number.isNaN(Date.parse(String(line.timestamp))), 'an ISO timestamp');
  }

  // close() exported what the batch processors held, to the receiver and to the file alike.
  assert.ok(receiver.received.every(({ contentType }) => contentType.startsWith('application/json')));
  const sent = spansOf(receiver.received.map(({ body }) => body));
  const filed = spansOf(
    readFileSync(spansFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OtlpRequest),
  );
  for (const spans of [sent, filed]) {
    assert.deepEqual(
      spans.map(({ traceId, parentSpanId, name, kind, status, service: serviceName }) => ({
        traceId,
        parentSpanId,
        name,
        kind,
        status: status.code ?? 0,
        serviceName,
      })),
      [
        {
          traceId: traces[0],
          parentSpanId: '00f067aa0ba902b7',
          name: 'POST /predict',
          kind: 2,
          status: 0,
          serviceName: 'inference-api',
        },
        {
          traceId: traces[1],
          parentSpanId: '00f067aa0ba902b7',
          name: 'POST /predict',
          kind: 2,
          status: 2,
          serviceName: 'inference-api',
        },
      ],
    );
  }
});
