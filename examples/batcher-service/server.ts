/**
 * The inference API of the dynamic batcher guide: POST /predict goes through the dynamic batcher, GET /metrics
 * serves its Prometheus metrics (OpenMetrics, with trace ids as exemplars), POST /faults sets the share of
 * requests that fail. Each request is logged as one JSON line and traced as one span (telemetry.ts).
 *
 *   node --import tsx examples/batcher-service/server.ts [--port 8001] [--max-batch-size 8] ...
 *     [--log-file requests.log] [--spans-file spans.jsonl] [--otlp-traces-url http://tempo:4318/v1/traces]
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { DynamicBatcher, type BatcherOptions } from './batcher.js';
import { createMetrics } from './metrics.js';
import { ErrorInjector, simulatedModel, type SimulatedModelOptions } from './model.js';
import { createTracing, requestLogger } from './telemetry.js';

/** Options of {@link startService}; the defaults are those of `server.ts` without flags. */
export interface ServiceOptions extends BatcherOptions, SimulatedModelOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 8001, the port of the dynamic batcher guide; 0 picks a free one. */
  readonly port?: number;
  /** The model the service serves, in its log lines and spans. Default `demo`. */
  readonly model?: string;
  /** `service.name` of its spans: the Prometheus job that scrapes it. Default `inference-api`. */
  readonly serviceName?: string;
  /** Request log lines go here (appended); default stdout. */
  readonly logFile?: string;
  /** Spans go here as OTLP/JSON lines. */
  readonly spansFile?: string;
  /** Spans go to this OTLP/HTTP endpoint (Tempo's `http://tempo:4318/v1/traces`). */
  readonly otlpTracesUrl?: string;
}

export interface RunningService {
  readonly url: string;
  readonly server: Server;
  /** Stops listening and writes out the spans not yet exported. */
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const isNumbers = (value: unknown): value is number[] => Array.isArray(value) && value.every((item) => typeof item === 'number');

/** Starts the service and resolves once it listens. */
export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  const errors = new ErrorInjector();
  const metrics = createMetrics(options.maxBatchSize ?? 8);
  const batcher = new DynamicBatcher(simulatedModel(errors, options), metrics, options);
  const { registry } = metrics;
  const model = options.model ?? 'demo';
  const tracing = createTracing({
    serviceName: options.serviceName ?? 'inference-api',
    spansFile: options.spansFile,
    otlpTracesUrl: options.otlpTracesUrl,
  });
  const log = requestLogger(options.logFile);

  /** One prediction: its span (continuing the caller's trace), its batch, its log line. */
  async function predict(request: IncomingMessage, response: ServerResponse, inputs: number[]): Promise<void> {
    const header = request.headers['x-request-id'];
    const requestId = (Array.isArray(header) ? header[0] : header) ?? randomUUID();
    const span = tracing.tracer.startSpan(
      'POST /predict',
      {
        kind: SpanKind.SERVER,
        attributes: { model, request_id: requestId, 'http.request.method': 'POST', 'url.path': '/predict' },
      },
      tracing.parentOf(request.headers),
    );
    const { traceId, spanId } = span.spanContext();
    const outcome = await batcher.submit(inputs, traceId);
    span.setAttribute('batch_size', outcome.batchSize);
    if (outcome.status === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.message });
    span.end();
    log.write({
      timestamp: new Date().toISOString(),
      level: outcome.status === 'success' ? 'info' : 'error',
      model,
      request_id: requestId,
      latency_ms: Math.round(outcome.seconds * 1000),
      batch_size: outcome.batchSize,
      status: outcome.status,
      trace_id: traceId,
      span_id: spanId,
      ...(outcome.status === 'error' ? { error: outcome.error.message } : {}),
    });
    if (outcome.status === 'success') reply(response, 200, { outputs: outcome.output });
    else reply(response, 500, { error: outcome.error.message });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      reply(response, 400, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = `${request.method} ${new URL(request.url ?? '/', 'http://service').pathname}`;
    if (route === 'GET /metrics') {
      response.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
    } else if (route === 'POST /predict') {
      const body = (await readJson(request)) as { inputs?: unknown };
      if (!isNumbers(body.inputs)) return reply(response, 400, { error: 'body must be {"inputs": [numbers]}' });
      await predict(request, response, body.inputs);
    } else if (route === 'POST /faults') {
      const body = (await readJson(request)) as { errorRatio?: unknown };
      errors.set(Number(body.errorRatio));
      reply(response, 200, { errorRatio: errors.errorRatio });
    } else {
      reply(response, 404, { error: `no route ${route}` });
    }
  }
  await new Promise<void>((resolve) => server.listen(options.port ?? 8001, options.host ?? '127.0.0.1', resolve));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    server,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await tracing.shutdown();
      log.close();
    },
  };
}

const flags = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8001' },
  'max-batch-size': { type: 'string', default: '8' },
  'max-queue-delay-ms': { type: 'string', default: '50' },
  'max-inflight-batches': { type: 'string', default: '1' },
  'model-base-ms': { type: 'string', default: '20' },
  'model-per-item-ms': { type: 'string', default: '2' },
  model: { type: 'string', default: 'demo' },
  'service-name': { type: 'string', default: 'inference-api' },
  'log-file': { type: 'string' },
  'spans-file': { type: 'string' },
  'otlp-traces-url': { type: 'string' },
} as const;

function positive(name: string, text: string, allowZero = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0))
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${text}"`);
  return value;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { values } = parseArgs({ options: flags, strict: true });
    const service = await startService({
      host: values.host,
      port: positive('port', values.port, true),
      maxBatchSize: positive('max-batch-size', values['max-batch-size']),
      maxQueueDelayMs: positive('max-queue-delay-ms', values['max-queue-delay-ms'], true),
      maxInflightBatches: positive('max-inflight-batches', values['max-inflight-batches']),
      baseMs: positive('model-base-ms', values['model-base-ms'], true),
      perItemMs: positive('model-per-item-ms', values['model-per-item-ms'], true),
      model: values.model,
      serviceName: values['service-name'],
      logFile: values['log-file'],
      spansFile: values['spans-file'],
      otlpTracesUrl: values['otlp-traces-url'],
    });
    // Spans still buffered are written out on Ctrl-C or a kill.
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => void service.close().then(() => process.exit(0)));
    console.log(`inference API listening on ${service.url} (POST /predict, GET /metrics, POST /faults)`);
  } catch (error) {
    console.error(`server.ts: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
